import type { Assertion, Placeholder, Step, StepCommand } from "@/lib/runbooks/parse";
import { StepActions } from "./step-actions";

const kindLabels: Record<Step["kind"], string> = {
  http: "HTTP call",
  shell: "Host command",
  manual: "Manual check",
  mixed: "HTTP + host commands",
};

const apiLabels: Record<string, string> = { control: "control API", runtime: "runtime API", surface: "surface" };

export function StepCard({ step, slug, runbookId, revisionId, incidentRef }: { step: Step; slug: string; runbookId: string; revisionId: string; incidentRef?: string }) {
  const headingId = `step-${step.id}`;
  return (
    <article aria-labelledby={headingId} className="panel space-y-3" data-testid="step-card" id={`s-${step.id}`}>
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={headingId} className="font-semibold">
            Step {step.ordinal}: {step.title}
          </h3>
          <p className="text-xs text-muted">
            {step.sectionPath.join(" › ")}
            {step.sectionPath.length ? " · " : ""}lines {step.startLine}–{step.endLine}
            {step.origin === "inline" ? " · command in a list item" : ""}
          </p>
        </div>
        <span className="badge bg-bg" data-testid="step-kind">{kindLabels[step.kind]}</span>
      </header>

      {step.description && <p className="whitespace-pre-line text-sm">{step.description}</p>}

      {step.placeholders.length > 0 && <Inputs placeholders={step.placeholders} />}

      <ol className="space-y-2" aria-label={`Commands of step ${step.ordinal}`}>
        {step.commands.map((c) => (
          <li key={c.ordinal} className="rounded-md border border-line p-2">
            <CommandView command={c} />
          </li>
        ))}
      </ol>

      <details>
        <summary className="cursor-pointer text-sm text-muted">Source</summary>
        <pre className="mt-2 overflow-x-auto rounded-md bg-bg p-3 font-mono text-xs">{step.source}</pre>
      </details>

      <div className="flex flex-wrap items-center gap-2">
        <StepActions step={step} slug={slug} runbookId={runbookId} revisionId={revisionId} incidentRef={incidentRef} />
      </div>
    </article>
  );
}

function CommandView({ command: c }: { command: StepCommand }) {
  return (
    <div className="space-y-1 text-sm">
      {c.comment && <p className="text-muted"># {c.comment}</p>}
      {c.http ? (
        <p>
          <span className="badge bg-bg font-mono">{c.http.method}</span>{" "}
          <code className="font-mono">{c.http.path}</code>{" "}
          <span className="text-xs text-muted">on the {apiLabels[c.http.api] ?? c.http.api} ({c.http.host}:{c.http.port})</span>
        </p>
      ) : (
        <pre className="overflow-x-auto whitespace-pre-wrap font-mono text-xs">{c.source}</pre>
      )}
      {c.http?.body && (
        <p className="text-xs">
          Body: <code className="font-mono">{c.http.body.json !== undefined ? JSON.stringify(c.http.body.json) : c.http.body.raw}</code>
        </p>
      )}
      {Object.keys(c.env).length > 0 && (
        <p className="text-xs text-muted">Environment: {Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(" ")}</p>
      )}
      <p className="text-xs" data-testid="step-expectation">
        {c.expectation.exit === "failure" ? (
          <span className="font-semibold text-sev2">Expected failure: a non-zero exit is the pass</span>
        ) : (
          <span className="text-ok">Expected: succeeds (exit 0)</span>
        )}
        {c.expectation.reason ? <span className="text-muted"> — “{c.expectation.reason}”</span> : null}
      </p>
      {c.assertions.map((a, i) => (
        <p key={i} className="text-xs" data-testid="step-assertion">
          <span className="badge border border-dashed border-line">proposed assertion</span> {assertionText(a)}
          <span className="text-muted"> — from “{a.text}”</span>
        </p>
      ))}
      {c.captures.map((cap) => (
        <p key={cap.variable} className="text-xs text-muted">
          Captures <code className="font-mono">{cap.variable}</code> from the {cap.from === "json" ? `response’s ${cap.path.join(".")}` : "output"} (input “{cap.input}” for later steps)
        </p>
      ))}
    </div>
  );
}

function assertionText(a: Assertion): string {
  const attempt = a.attempt ? ` on attempt ${a.attempt}` : "";
  return a.kind === "json-equals" ? `response ${a.path} = ${JSON.stringify(a.value)}${attempt}` : `output contains “${a.value}”${attempt}`;
}

function Inputs({ placeholders }: { placeholders: Placeholder[] }) {
  return (
    <div>
      <h4 className="text-sm font-semibold">Inputs</h4>
      <ul className="mt-1 space-y-1 text-sm">
        {placeholders.map((p) => (
          <li key={p.name}>
            <code className="font-mono">{p.name}</code> <span className="text-xs text-muted">({p.type}; written {p.forms.join(", ")})</span> — {p.description}
            {p.providedBy && <span className="text-xs text-muted"> · set by {p.providedBy.stepId} ({p.providedBy.variable})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
