"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/define-action";

/** Runs a server action with plain input, keeps its result, and refreshes the incident either way. */
export function useIncidentAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, incidentKey: string) {
  const queryClient = useQueryClient();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const run = (input: I, onSuccess?: (data: T) => void) =>
    start(async () => {
      const r = await action(input);
      setResult(r);
      await queryClient.invalidateQueries({ queryKey: ["incident", incidentKey] });
      if (r.ok) onSuccess?.(r.data);
    });
  return { run, pending, result, reset: () => setResult(null) };
}

type Current = { status?: string; severity?: string; version?: number; ref?: string };

/** An action's outcome; a conflict also shows the state that won. */
export function ActionMessage({ result }: { result: ActionResult<unknown> | null }) {
  if (!result) return null;
  if (result.ok) return result.message ? <p role="status" className="text-sm text-ok">{result.message}</p> : null;
  const current = result.current as Current | undefined;
  const fields = Object.entries(result.fieldErrors ?? {}).filter(([k]) => k !== "_form");
  return (
    <div role="alert" className="rounded-md border border-sev1 p-2 text-sm text-sev1">
      <p>{result.message}</p>
      {fields.length > 0 && <ul className="ml-4 list-disc">{fields.map(([k, v]) => <li key={k}>{v.join(" ")}</li>)}</ul>}
      {current?.status && (
        <p className="mt-1 text-fg" data-testid="conflict-current">
          Current state: <strong>{current.status}</strong>, <strong>{current.severity}</strong>, version {current.version}. The page now shows it.
        </p>
      )}
    </div>
  );
}
