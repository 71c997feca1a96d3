"use client";

import type { ChecklistView } from "@/lib/incidents/queries";
import { tickChecklistAction } from "../actions";
import { utc } from "./format";
import { ActionMessage, useIncidentAction } from "./use-action";

export function Checklists({ incidentId, lists, canTick, closed }: { incidentId: string; lists: ChecklistView[]; canTick: boolean; closed: boolean }) {
  const tick = useIncidentAction(tickChecklistAction, incidentId);
  return (
    <section aria-labelledby="checklists-heading" className="panel space-y-3">
      <h2 id="checklists-heading" className="text-lg font-semibold">Checklists</h2>
      {lists.map((list) => {
        const done = list.items.filter((i) => i.done).length;
        return (
          <fieldset key={list.id} className="space-y-1">
            <legend className="font-semibold">
              {list.title} <span className="text-sm font-normal text-muted">({done}/{list.items.length})</span>
            </legend>
            <ul className="space-y-1">
              {list.items.map((item) => (
                <li key={item.id} className="flex items-start gap-2 text-sm">
                  <input
                    id={`item-${item.id}`}
                    type="checkbox"
                    className="mt-0.5"
                    checked={item.done}
                    disabled={!canTick || closed || tick.pending}
                    onChange={(e) => tick.run({ itemId: item.id, version: item.version, done: e.target.checked })}
                  />
                  <label htmlFor={`item-${item.id}`} className={item.done ? "text-muted line-through" : ""}>{item.text}</label>
                  {item.done && item.doneByName && <span className="text-xs text-muted">— {item.doneByName}, {utc(item.doneAt, false)}</span>}
                </li>
              ))}
            </ul>
          </fieldset>
        );
      })}
      <ActionMessage result={tick.result && !tick.result.ok ? tick.result : null} />
    </section>
  );
}
