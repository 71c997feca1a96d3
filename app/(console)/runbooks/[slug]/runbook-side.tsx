import Link from "next/link";
import type { RunbookView } from "@/lib/runbooks";
import type { Section } from "@/lib/runbooks/parse";
import { formatTime } from "../format";

const kindLabels: Record<string, string> = { meaning: "Meaning", impact: "Impact", diagnosis: "Diagnosis", mitigation: "Mitigation", verification: "Verification", escalation: "Escalation" };
const resultLabels: Record<string, string> = { pass: "Pass", pass_with_notes: "Pass with notes", fail: "Fail" };

/** The side of a runbook page: a compact step outline, sections, links, validations, warnings. */
export function RunbookSide({ view }: { view: RunbookView }) {
  const parsed = view.current!.parsed;
  const sections = flatten(parsed.sections);
  return (
    <aside className="space-y-4 text-sm lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto" aria-label="Runbook outline">
      <nav aria-labelledby="outline-heading" className="panel">
        <h2 id="outline-heading" className="mb-1 font-semibold">Steps ({parsed.steps.length})</h2>
        {parsed.steps.length === 0 ? (
          <p className="text-muted">No commands in this runbook.</p>
        ) : (
          <ol className="space-y-0.5" data-testid="step-outline">
            {parsed.steps.map((s) => (
              <li key={s.id} className="flex gap-1">
                <span className="w-6 shrink-0 text-right text-xs text-muted">{s.ordinal}.</span>
                <a href={`#s-${s.id}`} className="min-w-0 truncate text-accent hover:underline" title={s.title}>{s.title}</a>
                {s.runnable === false && <span className="text-xs text-sev2" title="Cannot run">!</span>}
              </li>
            ))}
          </ol>
        )}
      </nav>
      {sections.length > 0 && (
        <nav aria-labelledby="sections-heading" className="panel">
          <h2 id="sections-heading" className="mb-1 font-semibold">Sections</h2>
          <ul className="space-y-0.5">
            {sections.map((s) => (
              <li key={s.id} style={{ paddingLeft: `${Math.max(0, s.depth - 2) * 0.75}rem` }}>
                <a href={`#doc-${s.id}`} className="text-accent hover:underline">{s.title}</a>
                {s.kind && <span className="ml-1 badge bg-bg text-xs">{kindLabels[s.kind]}</span>}
              </li>
            ))}
          </ul>
        </nav>
      )}
      {(view.links.length > 0 || view.referencedBy.length > 0) && (
        <section aria-labelledby="links-heading" className="panel">
          <h2 id="links-heading" className="mb-1 font-semibold">Linked runbooks</h2>
          <ul className="space-y-0.5" data-testid="runbook-links">
            {view.links.map((l) => (
              <li key={`${l.line}-${l.targetSlug}`}>
                <Link href={`/runbooks/${l.targetSlug}`} className={l.pending ? "text-muted hover:underline" : "text-accent hover:underline"}>{l.targetTitle ?? l.text}</Link>
                {l.pending && <span className="ml-1 text-xs text-muted">(not written yet)</span>}
              </li>
            ))}
            {view.referencedBy.map((r) => (
              <li key={`by-${r.slug}`} className="text-muted">
                ← <Link href={`/runbooks/${r.slug}`} className="text-accent hover:underline">{r.title}</Link> links here
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="validation-log" className="panel">
        <h2 id="validation-log" className="mb-1 font-semibold">Validation Log</h2>
        {view.validations.length === 0 ? (
          <p className="text-muted">None yet. A signed-off validation drill adds a row here, and to the document's Validation Log on export.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-xs">
              <thead>
                <tr className="text-left text-muted">
                  <th scope="col" className="pr-2 font-medium">Date</th>
                  <th scope="col" className="pr-2 font-medium">Result</th>
                  <th scope="col" className="font-medium">By, where, notes</th>
                </tr>
              </thead>
              <tbody>
                {view.validations.map((r) => (
                  <tr key={r.id} className="border-t border-line align-top">
                    <td className="whitespace-nowrap py-1 pr-2">{r.date}</td>
                    <td className={`whitespace-nowrap py-1 pr-2 ${r.result === "fail" ? "text-sev1" : "text-ok"}`}>{resultLabels[r.result]}</td>
                    <td className="py-1 [overflow-wrap:anywhere]">
                      {r.validator} · {r.environment}
                      {r.reportUrl && <> · <a className="text-accent underline" href={r.reportUrl}>report</a></>}
                      {r.notes && <p className="text-muted">{r.notes}</p>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.runbook.lastValidatedAt && <p className="mt-1 text-xs text-muted">Last validated {formatTime(view.runbook.lastValidatedAt)}</p>}
      </section>
      {parsed.warnings.length > 0 && (
        <section aria-labelledby="warnings-heading" className="panel">
          <h2 id="warnings-heading" className="mb-1 font-semibold text-sev3">Import warnings ({parsed.warnings.length})</h2>
          <ul className="ml-4 list-disc space-y-0.5 text-xs" data-testid="import-warnings">{parsed.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        </section>
      )}
    </aside>
  );
}

function flatten(sections: Section[]): Section[] {
  return sections.flatMap((s) => [s, ...flatten(s.children)]);
}
