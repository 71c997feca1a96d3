"use client";

import type { ActionResult } from "@/app/_lib/define-action";
import type { STATUS_LABELS } from "@/lib/incidents/state-machine";

type Current = { status?: keyof typeof STATUS_LABELS; severity?: string; version?: number; ref?: string };

/** What ActionMessage (use-action.tsx) shows once there is an outcome. */
export function ActionMessage({ result, inline = [] }: { result: ActionResult<unknown>; inline?: string[] }) {
  if (result.ok) return result.message ? <p role="status" className="text-sm text-ok">{result.message}</p> : null;
  const current = result.current as Current | undefined;
  const fields = [...new Set(Object.entries(result.fieldErrors ?? {}).filter(([k]) => !inline.includes(k)).flatMap(([, v]) => v))].filter((m) => m !== result.message);
  return (
    <div role="alert" className="rounded-md border border-sev1 p-2 text-sm text-sev1">
      <p>{result.message}</p>
      {fields.length > 0 && <ul className="ml-4 list-disc">{fields.map((m) => <li key={m}>{m}</li>)}</ul>}
      {current?.status && (
        <p className="mt-1 text-fg" data-testid="conflict-current">
          Current state: <strong>{current.status}</strong>, <strong>{current.severity}</strong>, version {current.version}. The page now shows it.
        </p>
      )}
    </div>
  );
}
