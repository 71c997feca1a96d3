"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import { useIdempotencyKey } from "@/app/_lib/idempotency-key";
import type { STATUS_LABELS } from "@/lib/incidents/state-machine";
import { useIncidentStore } from "./incident-store";

/**
 * Runs a server action with plain input, keeps its result, and refreshes the incident either way.
 * Each submission carries this form's idempotency key until one succeeds (actions that do not
 * take one ignore it): pressing again after a lost connection cannot write twice.
 */
export function useIncidentAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, incidentId: string) {
  const store = useIncidentStore();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const idempotency = useIdempotencyKey();
  const run = (input: I, onSuccess?: (data: T) => void) =>
    start(async () => {
      const r = await action({ ...input, idempotencyKey: idempotency.current() });
      if (r.ok) idempotency.rotate();
      setResult(r);
      if (store?.incidentId === incidentId) await store.invalidate();
      if (r.ok) onSuccess?.(r.data);
    });
  return { run, pending, result, reset: () => setResult(null) };
}

type Current = { status?: keyof typeof STATUS_LABELS; severity?: string; version?: number; ref?: string };

/**
 * An action's outcome, each sentence once: field errors the form shows next to their fields
 * (`inline`) and those repeating the message are left out. A conflict also shows what won.
 */
export function ActionMessage({ result, inline = [] }: { result: ActionResult<unknown> | null; inline?: string[] }) {
  if (!result) return null;
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

/** Field errors for one field of an action result, for showing next to that field. */
export function fieldErrorsOf(result: ActionResult<unknown> | null, field: string): string[] | undefined {
  return result && !result.ok ? result.fieldErrors?.[field] : undefined;
}
