"use client";

import { When } from "@/app/_components/time";
import type { StepRunView } from "@/lib/incidents/incident-state";

const stateClass = (state: string) => (state === "succeeded" ? "text-ok" : state === "running" ? "text-muted" : "text-sev1");

/** The runbook steps run for this incident, newest first, each linked to its stored output. */
export function StepRuns({ runs, incidentRef, finder }: { runs: StepRunView[]; incidentRef: string; finder?: React.ReactNode }) {
  return (
    <section aria-labelledby="step-runs-heading" className="panel space-y-2">
      <h2 id="step-runs-heading" className="text-lg font-semibold">Runbook steps</h2>
      {runs.length === 0 ? (
        <p className="text-sm text-muted">No runbook step has been run for {incidentRef} yet.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {runs.map((r) => (
            <li key={r.executionId} className="break-words">
              <a className="text-accent underline" href={`/runbooks/${encodeURIComponent(r.runbook)}?incident=${encodeURIComponent(incidentRef)}`}>{r.runbook}</a>{" "}
              <a className="underline" href={`/environments/executions/${encodeURIComponent(r.executionId)}`}>{r.stepId || "step"}</a>{" "}
              <span className={stateClass(r.state)}>{r.state}</span> <span className="text-xs text-muted"><When at={r.startedAt} /></span>
            </li>
          ))}
        </ul>
      )}
      {finder}
    </section>
  );
}
