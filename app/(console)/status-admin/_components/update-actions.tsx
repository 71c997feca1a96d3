"use client";

import { useActionState, useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/app/_lib/define-action";
import { findSensitive, type Finding } from "@/lib/status/public-text";
import { correctUpdateAction, discardDraftAction, publishDraftAction, retractUpdateAction } from "../actions";
import { PublicTextCheck } from "./public-text-check";

type Action = (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;

function useRefreshingAction(action: Action) {
  const [state, formAction, pending] = useActionState(action, null);
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const errors = state && !state.ok ? state.fieldErrors ?? {} : {};
  return { state, formAction, pending, errors };
}

/** The outcome; a refusal whose reasons sit next to their fields is not repeated here. */
function Result({ state }: { state: ActionResult<unknown> | null }) {
  const besideFields = state && !state.ok && Object.keys(state.fieldErrors ?? {}).some((k) => k !== "_form");
  return (
    <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
      {besideFields ? "Not done yet: see above." : state?.message ?? ""}
    </p>
  );
}

/** Publish or discard a draft; what the check finds in it needs the author's confirmation first. */
export function DraftActions({ update, titleFindings, messageFindings }: { update: { id: string; version: number; title: string; message: string }; titleFindings: Finding[]; messageFindings: Finding[] }) {
  const publish = useRefreshingAction(publishDraftAction);
  const discard = useRefreshingAction(discardDraftAction);
  const [confirmSensitive, setConfirmSensitive] = useState(false);
  const [confirmOperational, setConfirmOperational] = useState(false);
  const short = update.id.slice(0, 8);
  return (
    <div className="mt-2 space-y-2">
      <form action={publish.formAction} aria-label={`Publish draft ${short}`} className="space-y-2">
        <input type="hidden" name="updateId" value={update.id} />
        <input type="hidden" name="version" value={update.version} />
        <PublicTextCheck
          id={`draft-${short}-check`}
          texts={[
            { label: "Public headline", text: update.title, findings: titleFindings },
            { label: "Message", text: update.message, findings: messageFindings },
          ]}
          serverError={publish.errors.confirmSensitive}
          confirmed={confirmSensitive}
          onConfirm={setConfirmSensitive}
        />
        {publish.errors.confirmOperational?.length ? (
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="confirmOperational" value="true" checked={confirmOperational} onChange={(e) => setConfirmOperational(e.target.checked)} />
            <span>Nothing public is affected: publish “Operational everywhere”.</span>
          </label>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary" disabled={publish.pending}>{publish.pending ? "Working…" : "Publish draft"}</button>
          <Result state={publish.state} />
        </div>
      </form>
      <form action={discard.formAction} aria-label={`Discard draft ${short}`} className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="updateId" value={update.id} />
        <input type="hidden" name="version" value={update.version} />
        <button type="submit" className="btn-danger" disabled={discard.pending}>{discard.pending ? "Working…" : "Discard"}</button>
        <Result state={discard.state} />
      </form>
    </div>
  );
}

/**
 * Correct a published update's text (the status page says it was corrected; the audit keeps the
 * original) or retract it (the page keeps a notice in its place).
 */
export function PublishedUpdateActions({ update, people, cadenceMinutes }: { update: { id: string; version: number; message: string; label: string }; people: string[]; cadenceMinutes: number | null }) {
  const correct = useRefreshingAction(correctUpdateAction);
  const retract = useRefreshingAction(retractUpdateAction);
  const [message, setMessage] = useState(update.message);
  const [confirmSensitive, setConfirmSensitive] = useState(false);
  const findings = useMemo(() => findSensitive(message, { people, cadenceMinutes }), [message, people, cadenceMinutes]);
  const short = update.id.slice(0, 8);
  const field = (name: string, errors: Record<string, string[]>) =>
    errors[name]?.length ? <p id={`${name}-${short}-error`} className="field-error">{errors[name].join(" ")}</p> : null;
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm">Correct or retract this update</summary>
      <div className="mt-2 grid gap-4 md:grid-cols-2">
        <form action={correct.formAction} aria-label={`Correct update ${update.label}`} className="space-y-2">
          <input type="hidden" name="updateId" value={update.id} />
          <input type="hidden" name="version" value={update.version} />
          <div>
            <label htmlFor={`correct-${short}-message`} className="label">Corrected message</label>
            <textarea id={`correct-${short}-message`} name="message" className="input min-h-24" maxLength={5000} value={message} onChange={(e) => setMessage(e.target.value)} aria-describedby={correct.errors.message?.length ? `message-${short}-error` : undefined} />
            {field("message", correct.errors)}
          </div>
          <div>
            <label htmlFor={`correct-${short}-reason`} className="label">What was wrong (internal)</label>
            <input id={`correct-${short}-reason`} name="reason" className="input" maxLength={500} required aria-describedby={correct.errors.reason?.length ? `reason-${short}-error` : `correct-${short}-hint`} />
            <p id={`correct-${short}-hint`} className="mt-1 text-xs text-muted">The page shows the update as corrected; the original text stays in the audit log.</p>
            {field("reason", correct.errors)}
          </div>
          <PublicTextCheck id={`correct-${short}-check`} texts={[{ label: "Corrected message", text: message, findings }]} serverError={correct.errors.confirmSensitive} confirmed={confirmSensitive} onConfirm={setConfirmSensitive} />
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className="btn-primary" disabled={correct.pending}>{correct.pending ? "Working…" : "Publish correction"}</button>
            <Result state={correct.state} />
          </div>
        </form>
        <form action={retract.formAction} aria-label={`Retract update ${update.label}`} className="space-y-2">
          <input type="hidden" name="updateId" value={update.id} />
          <input type="hidden" name="version" value={update.version} />
          <div>
            <label htmlFor={`retract-${short}-reason`} className="label">Why it is withdrawn (internal)</label>
            <input id={`retract-${short}-reason`} name="reason" className="input" maxLength={500} required aria-describedby={retract.errors.reason?.length ? `reason-${short}-rerror` : `retract-${short}-hint`} />
            <p id={`retract-${short}-hint`} className="mt-1 text-xs text-muted">The page keeps a “retracted” notice in its place, without the text. Component states stay as published.</p>
            {retract.errors.reason?.length ? <p id={`reason-${short}-rerror`} className="field-error">{retract.errors.reason.join(" ")}</p> : null}
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className="btn-danger" disabled={retract.pending}>{retract.pending ? "Working…" : "Retract update"}</button>
            <Result state={retract.state} />
          </div>
        </form>
      </div>
    </details>
  );
}
