"use client";

import { useState } from "react";
import type { RoleAssignmentView } from "@/lib/incidents/queries";
import type { IncidentView } from "@/lib/incidents/views";
import { assignRoleAction, endRoleAction } from "../actions";
import { lazyComponent } from "@/app/_components/lazy";
import { INCIDENT_ROLE_LABELS as LABELS } from "@/app/_lib/incident-labels";
import { ActionMessage, useIncidentAction } from "./use-action";

// The history table loads when first unfolded.
const RoleHistory = lazyComponent(() => import("./role-history").then((m) => m.RoleHistory));

export function RolesPanel({
  incident,
  roles,
  people,
  canManage,
}: {
  incident: IncidentView;
  roles: RoleAssignmentView[];
  people: { id: string; name: string; role: string }[];
  canManage: boolean;
}) {
  const assign = useIncidentAction(assignRoleAction, incident.id);
  const end = useIncidentAction(endRoleAction, incident.id);
  const [role, setRole] = useState<"scribe" | "comms" | "responder">("scribe");
  const [userId, setUserId] = useState("");
  const [historyOpened, setHistoryOpened] = useState(false);
  const current = roles.filter((r) => !r.endedAt);
  const target = userId || people[0]?.id || "";
  return (
    <section aria-labelledby="roles-heading" className="panel space-y-3">
      <h2 id="roles-heading" className="text-lg font-semibold">Roles</h2>
      <ul className="space-y-1 text-sm">
        {(["commander", "scribe", "comms", "responder"] as const).map((r) => {
          const holders = current.filter((c) => c.role === r);
          return (
            <li key={r} className="flex flex-wrap items-center gap-2">
              <span className="w-24 text-muted">{LABELS[r]}</span>
              {holders.length === 0 && <span className="text-muted">—</span>}
              {holders.map((h) => (
                <span key={h.id} className="inline-flex items-center gap-1" data-testid={`role-${r}`}>
                  <strong>{h.userName}</strong>
                  {r === "commander" && !h.acknowledgedAt && <span className="text-xs text-sev2">(not yet acknowledged)</span>}
                  {canManage && r !== "commander" && (
                    <button
                      type="button"
                      className="text-xs text-sev1 underline"
                      aria-label={`End ${LABELS[r].toLowerCase()} role of ${h.userName}`}
                      disabled={end.pending}
                      onClick={() => end.run({ incidentId: incident.id, version: incident.version, assignmentId: h.id })}
                    >
                      end
                    </button>
                  )}
                </span>
              ))}
            </li>
          );
        })}
      </ul>
      <ActionMessage result={end.result} />
      {canManage && incident.status !== "closed" && (
        <form
          aria-label="Assign role"
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            assign.run({ incidentId: incident.id, version: incident.version, role, userId: target });
          }}
        >
          <div>
            <label className="label" htmlFor="assign-role">Role</label>
            <select id="assign-role" className="input w-auto" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
              <option value="scribe">Scribe</option>
              <option value="comms">Comms lead</option>
              <option value="responder">Responder</option>
            </select>
          </div>
          <div>
            <label className="label" htmlFor="assign-user">Person</label>
            <select id="assign-user" className="input w-auto max-w-full" value={target} onChange={(e) => setUserId(e.target.value)}>
              {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </div>
          <button type="submit" className="btn" disabled={assign.pending}>Assign</button>
        </form>
      )}
      <ActionMessage result={assign.result} />
      <details onToggle={(e) => e.currentTarget.open && setHistoryOpened(true)} onMouseEnter={RoleHistory.preload} onFocus={RoleHistory.preload}>
        <summary className="cursor-pointer text-sm font-medium">Role history ({roles.length})</summary>
        {historyOpened && <RoleHistory roles={roles} />}
      </details>
    </section>
  );
}
