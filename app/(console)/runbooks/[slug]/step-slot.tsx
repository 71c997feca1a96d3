import type { Assertion, Step } from "@/lib/runbooks/parse";
import { type EnvironmentAddresses, stepAsShown } from "@/lib/runbooks/addresses";
import { CopyButton } from "../copy-button";
import { StepRunner } from "./step-runner";

// A step where it stands in the document: its commands (with the chosen environment's addresses),
// inputs, expectation and Run button. A command written inside a sentence gets a compact row: the
// sentence above already shows it.

const kindLabels: Record<Step["kind"], string> = { http: "HTTP call", shell: "Host command", manual: "Manual check", mixed: "HTTP + host commands" };
export const foundByLabels: Record<NonNullable<Step["foundBy"]>, string> = {
  "shell-fence": "shell block",
  "bare-fence": "unlabelled block read as commands",
  "list-item": "command in a list item",
  prose: "command in a sentence",
  "plain-text": "command written as plain text",
};

export type StepSlotProps = { step: Step; slug: string; revisionId: string; incidentRef?: string; environment: EnvironmentAddresses | null };

export function StepSlot({ step, slug, revisionId, incidentRef, environment }: StepSlotProps) {
  const shown = stepAsShown(step, environment);
  const headingId = `step-${step.id}`;
  const compact = step.foundBy === "prose";
  const changed = shown.some((c, i) => c.text !== step.commands[i].source);
  return (
    <section
      aria-labelledby={headingId}
      id={`s-${step.id}`}
      data-testid="step-card"
      data-step-id={step.id}
      className="my-2 scroll-mt-4 rounded-md border border-line border-l-4 border-l-accent bg-surface p-2 not-prose"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="min-w-0 text-xs text-muted">
          <h4 id={headingId} className="inline font-semibold text-fg">Step {step.ordinal}: {step.title}</h4>
          <span data-testid="step-kind"> · {kindLabels[step.kind]}</span>
          {step.foundBy ? <span> · found as {foundByLabels[step.foundBy]}</span> : null}
        </div>
        {!compact && <CopyButton text={shown.map((c) => c.text).join("\n")} label={`Copy step ${step.ordinal}`} />}
      </div>
      {!compact && (
        <ol className="mt-1 space-y-1" aria-label={`Commands of step ${step.ordinal}`}>
          {step.commands.map((c, i) => (
            <li key={c.ordinal}>
              {c.comment && <p className="text-xs text-muted"># {c.comment}</p>}
              <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-bg p-2 font-mono text-xs" data-testid="step-command">{shown[i].text}</pre>
              <CommandNotes command={c} unplaced={shown[i].unplaced} environment={environment?.name} />
            </li>
          ))}
        </ol>
      )}
      {compact &&
        step.commands.map((c, i) => (
          <div key={c.ordinal}>
            {shown[i].text !== c.source && <pre className="whitespace-pre-wrap font-mono text-xs">{shown[i].text}</pre>}
            <CommandNotes command={c} unplaced={shown[i].unplaced} environment={environment?.name} />
          </div>
        ))}
      {step.placeholders.length > 0 && (
        <p className="mt-1 text-xs text-muted">
          Inputs: {step.placeholders.map((p, i) => (
            <span key={p.name}>{i ? ", " : ""}<code className="font-mono">{p.name}</code>{p.providedBy ? ` (from step ${p.providedBy.stepId})` : ""}</span>
          ))}
        </p>
      )}
      {changed && (
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer text-muted">As written in the runbook</summary>
          <pre className="mt-1 overflow-x-auto whitespace-pre-wrap font-mono">{step.source}</pre>
        </details>
      )}
      {step.runnable === false ? (
        <p className="mt-1 text-xs font-semibold text-sev2" role="note">Not runnable as written: see the reason beside its command, and the import warnings.</p>
      ) : (
        <div className="mt-2">
          <StepRunner step={step} slug={slug} revisionId={revisionId} incidentRef={incidentRef} environmentId={environment?.id} />
        </div>
      )}
    </section>
  );
}

function CommandNotes({ command: c, unplaced, environment }: { command: Step["commands"][number]; unplaced: boolean; environment?: string }) {
  return (
    <>
      <p className="text-xs" data-testid="step-expectation">
        {c.expectation.exit === "failure" ? (
          <span className="font-semibold text-sev2">Expected failure: a non-zero exit is the pass</span>
        ) : (
          <span className="text-ok">Expected: succeeds</span>
        )}
        {c.expectation.reason ? <span className="text-muted"> — “{c.expectation.reason}”</span> : null}
        {c.assertions.map((a, i) => (
          <span key={i} className="text-muted"> · proposed check: {assertionText(a)}</span>
        ))}
        {c.captures.map((cap) => (
          <span key={cap.variable} className="text-muted"> · captures {cap.variable}</span>
        ))}
      </p>
      {c.unreadable && <p className="text-xs text-sev2">Cannot run: {c.unreadable}.</p>}
      {unplaced && <p className="text-xs text-sev2">{environment} has no surface on port {c.http?.port}; add it under Environments to run this.</p>}
    </>
  );
}

function assertionText(a: Assertion): string {
  const attempt = a.attempt ? ` on attempt ${a.attempt}` : "";
  return a.kind === "json-equals" ? `${a.path} = ${JSON.stringify(a.value)}${attempt}` : `output contains “${a.value}”${attempt}`;
}
