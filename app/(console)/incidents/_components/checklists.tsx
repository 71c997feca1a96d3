"use client";

import { When } from "@/app/_components/time";
import type { ChecklistView } from "@/lib/incidents/queries";
import type { IncidentStatus } from "@/db/schema/incidents";
import { tickChecklistAction } from "../actions";
import { ActionMessage, useIncidentAction } from "./use-action";

/** Which checklist the phase is about: it comes first and open; finished lists fold away. */
const PHASE_LIST: Record<IncidentStatus, string> = {
  triage: "first_five_minutes",
  investigating: "first_five_minutes",
  identified: "first_five_minutes",
  mitigating: "first_five_minutes",
  monitoring: "recovery_validation",
  resolved: "post_incident",
  closed: "post_incident",
};

export function Checklists({ incidentId, lists, canTick, status }: { incidentId: string; lists: ChecklistView[]; canTick: boolean; status: IncidentStatus }) {
  const tick = useIncidentAction(tickChecklistAction, incidentId);
  const closed = status === "closed";
  const phase = PHASE_LIST[status];
  const ordered = [...lists].sort((a, b) => Number(b.kind === phase) - Number(a.kind === phase));
  return (
    <section aria-labelledby="checklists-heading" className="panel space-y-3">
      <h2 id="checklists-heading" className="text-lg font-semibold">Checklists</h2>
      {ordered.length === 0 && <p className="text-sm text-muted">No checklist yet.</p>}
      {ordered.map((list) => {
        const done = list.items.filter((i) => i.done).length;
        const complete = done === list.items.length;
        return (
          <details key={list.id} open={list.kind === phase || !complete} className="group">
            <summary className="cursor-pointer font-semibold">
              {list.title} <span className={`text-sm font-normal ${complete ? "text-ok" : "text-muted"}`}>({done}/{list.items.length})</span>
            </summary>
            <fieldset className="mt-1">
              <legend className="sr-only">{list.title}</legend>
              <ul className="space-y-1">
                {list.items.map((item) => (
                  <li key={item.id} className="flex items-start gap-2 text-sm">
                    <input
                      id={`item-${item.id}`}
                      type="checkbox"
                      className="mt-0.5 shrink-0"
                      checked={item.done}
                      disabled={!canTick || closed || tick.pending}
                      onChange={(e) => tick.run({ itemId: item.id, version: item.version, done: e.target.checked })}
                    />
                    <label htmlFor={`item-${item.id}`} className={`min-w-0 break-words ${item.done ? "text-muted line-through" : ""}`}>{item.text}</label>
                    {item.done && item.doneByName && <span className="shrink-0 text-xs text-muted">{item.doneByName}, <When at={item.doneAt} /></span>}
                  </li>
                ))}
              </ul>
            </fieldset>
          </details>
        );
      })}
      <ActionMessage result={tick.result && !tick.result.ok ? tick.result : null} />
    </section>
  );
}
