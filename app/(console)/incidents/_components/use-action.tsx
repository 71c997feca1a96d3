"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import { useIdempotencyKey } from "@/app/_lib/idempotency-key";
import { lazyComponent } from "@/app/_components/lazy";
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
      ActionMessageText.preload();
      const r = await action({ ...input, idempotencyKey: idempotency.current() });
      if (r.ok) idempotency.rotate();
      setResult(r);
      if (store?.incidentId === incidentId) await store.invalidate();
      if (r.ok) onSuccess?.(r.data);
    });
  return { run, pending, result, reset: () => setResult(null) };
}

// An outcome's text loads with the first submission: most visits never submit anything.
const ActionMessageText = lazyComponent(() => import("./action-message").then((m) => m.ActionMessage));

/**
 * An action's outcome, each sentence once: field errors the form shows next to their fields
 * (`inline`) and those repeating the message are left out. A conflict also shows what won.
 */
export function ActionMessage({ result, inline }: { result: ActionResult<unknown> | null; inline?: string[] }) {
  return result ? <ActionMessageText result={result} inline={inline} /> : null;
}

/** Field errors for one field of an action result, for showing next to that field. */
export function fieldErrorsOf(result: ActionResult<unknown> | null, field: string): string[] | undefined {
  return result && !result.ok ? result.fieldErrors?.[field] : undefined;
}
