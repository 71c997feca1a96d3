"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import { changeRoleAction, setDisabledAction } from "./actions";

const roles = ["viewer", "responder", "commander", "admin"] as const;

export function UserRowControls({ user, isSelf }: { user: { id: string; email: string; role: string; version: number; disabled: boolean }; isSelf: boolean }) {
  const [roleState, roleAction, rolePending] = useActionState(changeRoleAction, null as ActionResult<unknown> | null);
  const [disState, disAction, disPending] = useActionState(setDisabledAction, null as ActionResult<unknown> | null);
  const message = [roleState, disState].find((s) => s && !s.ok)?.message;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <form action={roleAction} className="flex items-center gap-1">
        <input type="hidden" name="userId" value={user.id} />
        <input type="hidden" name="version" value={user.version} />
        <label className="sr-only" htmlFor={`role-${user.id}`}>Role for {user.email}</label>
        <select id={`role-${user.id}`} name="role" defaultValue={user.role} className="input w-auto" key={user.version}>
          {roles.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <button type="submit" className="btn" disabled={rolePending}>Change role</button>
      </form>
      {!isSelf && (
        <form action={disAction}>
          <input type="hidden" name="userId" value={user.id} />
          <input type="hidden" name="version" value={user.version} />
          <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
          <button type="submit" className={user.disabled ? "btn" : "btn-danger"} disabled={disPending} aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}>
            {user.disabled ? "Enable" : "Disable"}
          </button>
        </form>
      )}
      {message && <p role="alert" className="field-error w-full">{message}</p>}
    </div>
  );
}
