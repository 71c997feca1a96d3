"use client";

import { useActionState, useState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { abortDrillAction, confirmManualAction, pauseDrillAction, resumeDrillAction, retryItemAction, runNextAction, skipItemAction } from "../actions";

type Result = ActionResult<unknown> | null;

function ActionButton({ action, drillId, position, label, className = "btn" }: { action: (p: Result, f: FormData) => Promise<Result>; drillId: string; position?: number; label: string; className?: string }) {
  const [state, run, pending] = useActionState(action, null as Result);
  return (
    <form action={run} className="inline-flex items-center gap-2">
      <input type="hidden" name="drillId" value={drillId} />
      {position !== undefined && <input type="hidden" name="position" value={position} />}
      <button type="submit" className={className} disabled={pending}>{pending ? "…" : label}</button>
      {state && !state.ok && <span role="alert" className="text-sm text-sev1">{state.message}</span>}
    </form>
  );
}

/** Pause, resume, run the next item, abort: what a person driving the drill can do. */
export function DrillControls({ drillId, state, mode, busy, waiting = false }: { drillId: string; state: string; mode: string; busy: boolean; waiting?: boolean }) {
  if (state === "completed" || state === "aborted") return null;
  return (
    <div className="flex flex-wrap gap-2" aria-label="Drill controls">
      {state === "running" && mode === "auto" && <ActionButton action={pauseDrillAction} drillId={drillId} label="Pause" />}
      {state === "paused" && <ActionButton action={resumeDrillAction} drillId={drillId} label="Resume" className="btn-primary" />}
      {/* A manual check waiting for a person comes first: confirm or skip it below. */}
      {!busy && !waiting && (mode === "step" || state === "paused") && <ActionButton action={runNextAction} drillId={drillId} label="Run next step" className="btn-primary" />}
      <AbortForm drillId={drillId} />
    </div>
  );
}

/** Abort asks first: it cancels the running item and marks the rest not run (cleanup still runs). */
function AbortForm({ drillId }: { drillId: string }) {
  const [open, setOpen] = useState(false);
  const [state, run, pending] = useActionState(abortDrillAction, null as Result);
  const failed = state && !state.ok ? state : null;
  if (!open) return <button type="button" className="btn-danger" onClick={() => setOpen(true)}>Abort drill…</button>;
  return (
    <form action={run} role="alertdialog" aria-label="Confirm abort" aria-describedby={`abort-help-${drillId}`} className="flex w-full flex-wrap items-end gap-2 rounded border border-sev1 p-2">
      <p id={`abort-help-${drillId}`} className="w-full text-sm">Abort this drill? The running item is cancelled, the rest is marked not run, and every cleanup item still runs. The drill can then only be signed off as a fail.</p>
      <input type="hidden" name="drillId" value={drillId} />
      <Field name="abort-reason" label="Why abort it?" errors={failed?.fieldErrors?.reason}>
        {(p) => <input {...p} name="reason" required minLength={3} className="input" autoFocus />}
      </Field>
      <button type="submit" className="btn-danger" disabled={pending}>{pending ? "Aborting…" : "Confirm abort"}</button>
      <button type="button" className="btn" onClick={() => setOpen(false)} disabled={pending}>Keep running</button>
      {failed && <span role="alert" className="text-sm text-sev1">{failed.message}</span>}
    </form>
  );
}

export function RetryButton({ drillId, position }: { drillId: string; position: number }) {
  return <ActionButton action={retryItemAction} drillId={drillId} position={position} label="Retry" />;
}

export function SkipForm({ drillId, position, title }: { drillId: string; position: number; title: string }) {
  const [open, setOpen] = useState(false);
  const [state, run, pending] = useActionState(skipItemAction, null as Result);
  const failed = state && !state.ok ? state : null;
  if (!open) return <button type="button" className="btn" onClick={() => setOpen(true)}>Skip…</button>;
  return (
    <form action={run} className="flex flex-wrap items-end gap-2" aria-label={`Skip ${title}`}>
      <input type="hidden" name="drillId" value={drillId} />
      <input type="hidden" name="position" value={position} />
      <Field name={`reason-${position}`} label="Why skip it?" errors={failed?.fieldErrors?.reason}>
        {(p) => <input {...p} name="reason" required minLength={3} className="input" />}
      </Field>
      <button type="submit" className="btn" disabled={pending}>{pending ? "Skipping…" : "Skip step"}</button>
      {failed && <span role="alert" className="text-sm text-sev1">{failed.message}</span>}
    </form>
  );
}

export function ConfirmForm({ drillId, position, title }: { drillId: string; position: number; title: string }) {
  const [state, run, pending] = useActionState(confirmManualAction, null as Result);
  const failed = state && !state.ok ? state : null;
  return (
    <form action={run} className="flex flex-wrap items-end gap-2" aria-label={`Confirm ${title}`}>
      <input type="hidden" name="drillId" value={drillId} />
      <input type="hidden" name="position" value={position} />
      <Field name={`note-${position}`} label="What you saw (optional)">
        {(p) => <input {...p} name="note" className="input" />}
      </Field>
      <button type="submit" name="passed" value="yes" className="btn-primary" disabled={pending}>Confirm done</button>
      <button type="submit" name="passed" value="no" className="btn-danger" disabled={pending}>Mark failed</button>
      {failed && <span role="alert" className="text-sm text-sev1">{failed.message}</span>}
    </form>
  );
}
