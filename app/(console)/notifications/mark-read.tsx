"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import { markReadAction } from "./actions";

export function MarkReadForm({ ids = [], all = false, label }: { ids?: string[]; all?: boolean; label: string }) {
  const [state, action, pending] = useActionState(markReadAction, null as ActionResult<unknown> | null);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      {ids.map((id) => <input key={id} type="hidden" name="ids" value={id} />)}
      {all && <input type="hidden" name="all" value="true" />}
      <button type="submit" className="btn" disabled={pending}>{pending ? "…" : label}</button>
      {state && !state.ok && <span role="alert" className="text-sm text-sev1">{state.message}</span>}
    </form>
  );
}
