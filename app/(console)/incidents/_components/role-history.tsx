"use client";

import { When } from "@/app/_components/time";
import { INCIDENT_ROLE_LABELS as LABELS } from "@/app/_lib/labels";
import type { RoleAssignmentView } from "@/lib/incidents/queries";

/** Who held which incident role, and when (unfolded from the roles panel). */
export function RoleHistory({ roles }: { roles: RoleAssignmentView[] }) {
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="table" aria-label="Role history">
        <thead><tr><th scope="col">Role</th><th scope="col">Person</th><th scope="col">From</th><th scope="col">Until</th></tr></thead>
        <tbody>
          {roles.map((r) => (
            <tr key={r.id}>
              <td>{LABELS[r.role]}</td>
              <td>{r.userName}</td>
              <td className="whitespace-nowrap"><When at={r.startedAt} /></td>
              <td className="whitespace-nowrap">{r.endedAt ? <When at={r.endedAt} /> : "now"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
