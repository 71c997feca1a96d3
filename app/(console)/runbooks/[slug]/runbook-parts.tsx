import Link from "next/link";
import type { RunbookView } from "@/lib/runbooks";
import type { ChecklistItem, ValidationLogRow } from "@/lib/runbooks/parse";

const resultLabels: Record<string, string> = { pass: "Pass", pass_with_notes: "Pass with notes", fail: "Fail" };

/** Checklists, tables, linked runbooks and the Validation Log of the current revision. */
export function RunbookParts({ view }: { view: RunbookView }) {
  const parsed = view.current!.parsed;
  const markdownRows: ValidationLogRow[] = parsed.validationLog;
  return (
    <>
      {parsed.checklists.length > 0 && (
        <section aria-labelledby="checklists" className="space-y-3">
          <h2 id="checklists" className="text-xl font-semibold">Checklists ({parsed.checklists.length})</h2>
          <div className="grid gap-3 md:grid-cols-2">
            {parsed.checklists.map((c) => (
              <div key={c.id} className="panel" data-testid="checklist">
                <h3 className="font-semibold">{c.title}</h3>
                <p className="text-xs text-muted">{c.sectionPath.join(" › ")} · {c.kind === "task" ? "task list" : "numbered list"}</p>
                <Items items={c.items} ordered={c.kind === "ordered"} />
              </div>
            ))}
          </div>
        </section>
      )}

      {parsed.tables.length > 0 && (
        <section aria-labelledby="tables" className="space-y-3">
          <h2 id="tables" className="text-xl font-semibold">Tables ({parsed.tables.length})</h2>
          {parsed.tables.map((t) => (
            <div key={t.id} className="panel overflow-x-auto p-0">
              <table className="table" aria-label={t.sectionPath.at(-1) ?? "Table"}>
                <caption className="px-2 py-1.5 text-left font-semibold">{t.sectionPath.at(-1) ?? "Table"}</caption>
                <thead>
                  <tr>{t.headers.map((h) => <th key={h} scope="col">{h}</th>)}</tr>
                </thead>
                <tbody>
                  {t.rows.map((row, i) => (
                    <tr key={i}>{t.headers.map((h) => <td key={h} className="font-mono text-xs">{row[h]}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
      )}

      {view.links.length > 0 && (
        <section aria-labelledby="links" className="space-y-2">
          <h2 id="links" className="text-xl font-semibold">Linked runbooks ({view.links.length})</h2>
          <ul className="panel divide-y divide-line p-0 text-sm">
            {view.links.map((l) => (
              <li key={`${l.line}-${l.targetSlug}`} className="flex flex-wrap items-center gap-2 px-4 py-1.5" data-testid="runbook-link">
                {l.pending ? (
                  <>
                    <span className="badge border border-dashed border-line text-muted">pending</span>
                    <Link href={`/runbooks/${l.targetSlug}`} className="hover:underline">{l.targetTitle ?? l.text}</Link>
                    <span className="text-xs text-muted">not written yet ({l.href})</span>
                  </>
                ) : (
                  <>
                    <span className="badge bg-bg text-ok">linked</span>
                    <Link href={`/runbooks/${l.targetSlug}`} className="text-accent hover:underline">{l.targetTitle ?? l.text}</Link>
                  </>
                )}
                {l.category && <span className="text-xs text-muted">· {l.category}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="validation-log" className="space-y-2">
        <h2 id="validation-log" className="text-xl font-semibold">Validation Log</h2>
        {markdownRows.length === 0 && view.validations.length === 0 ? (
          <p className="text-muted">Not validated yet. A validation drill appends its sign-off here.</p>
        ) : (
          <div className="panel overflow-x-auto p-0">
            <table className="table">
              <thead>
                <tr><th scope="col">Date</th><th scope="col">Validator</th><th scope="col">Environment</th><th scope="col">Result</th><th scope="col">Notes</th><th scope="col">Recorded</th></tr>
              </thead>
              <tbody>
                {markdownRows.map((r) => (
                  <tr key={`md-${r.line}`}>
                    <td>{r.date}</td><td>{r.validator}</td><td>{r.environment}</td><td>{r.result}</td><td>{r.notes}</td><td className="text-muted">in the document</td>
                  </tr>
                ))}
                {view.validations.map((r) => (
                  <tr key={r.id}>
                    <td>{r.date}</td>
                    <td>{r.validator}</td>
                    <td>{r.environment}</td>
                    <td className={r.result === "fail" ? "text-sev1" : "text-ok"}>{resultLabels[r.result]}</td>
                    <td>{r.notes}{r.reportUrl && <> (<a className="text-accent underline" href={r.reportUrl}>report</a>)</>}</td>
                    <td className="text-muted">drill, revision {view.revisions.find((v) => v.id === r.revisionId)?.number ?? "?"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function Items({ items, ordered }: { items: ChecklistItem[]; ordered: boolean }) {
  const List = ordered ? "ol" : "ul";
  return (
    <List className={`mt-1 ml-5 space-y-0.5 text-sm ${ordered ? "list-decimal" : "list-none -ml-0"}`}>
      {items.map((item, i) => (
        <li key={`${item.line}-${i}`}>
          {item.checked !== null && <span aria-hidden="true">{item.checked ? "☑ " : "☐ "}</span>}
          {item.checked !== null && <span className="sr-only">{item.checked ? "done: " : "open: "}</span>}
          {item.text}
          {item.stepIds.length > 0 && (
            <span className="text-xs text-muted">
              {" "}· {item.stepIds.map((id, j) => <a key={id} className="text-accent underline" href={`#s-${id}`}>{j ? ", " : ""}step</a>)}
            </span>
          )}
          {item.children.length > 0 && <Items items={item.children} ordered={false} />}
        </li>
      ))}
    </List>
  );
}
