import type { DrillReport } from "@/lib/drills";

/** The drill plan as the validator sees it: what the drill does around the runbook's own steps. */
export function PlanPanel({ origin, summary, lines }: { origin: string; summary: string; lines: DrillReport["planLines"] }) {
  const empty = !lines.setup.length && !lines.cleanup.length && !lines.steps.length;
  return (
    <section aria-labelledby="plan-heading" className="panel space-y-2 text-sm">
      <h2 id="plan-heading" className="text-lg font-semibold">Drill plan: setup and cleanup {origin !== "none" && <span className="badge ml-1">{origin}</span>}</h2>
      {summary && <p>{summary}</p>}
      {empty && <p className="text-muted">Nothing is declared: the steps run as written.</p>}
      {lines.setup.length > 0 && (
        <div><h3 className="font-medium">Before the drill</h3><ul className="ml-5 list-disc">{lines.setup.map((l) => <li key={l}>{l}</li>)}</ul></div>
      )}
      {lines.steps.map((s) => (
        <div key={s.stepId}>
          <h3 className="font-medium"><code>{s.stepId}</code></h3>
          <ul className="ml-5 list-disc">{s.lines.map((l, i) => <li key={i}>{l}</li>)}</ul>
        </div>
      ))}
      {lines.cleanup.length > 0 && (
        <div><h3 className="font-medium">After the drill</h3><ul className="ml-5 list-disc">{lines.cleanup.map((l) => <li key={l}>{l}</li>)}</ul></div>
      )}
    </section>
  );
}
