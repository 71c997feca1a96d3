"use client";

import { forwardRef } from "react";
import { When } from "@/app/_components/time";
import type { PendingAcknowledgement } from "@/lib/incidents/incident-state";
import { acknowledgeCommandAction } from "../actions";
import { ActionMessage, useIncidentAction } from "./use-action";

/**
 * Command handed to someone who has not said they have it. They see the note and the button;
 * everyone else sees whom the incident is waiting for.
 */
export const AcknowledgeCommand = forwardRef<HTMLButtonElement, { incidentId: string; pending: PendingAcknowledgement; isMe: boolean }>(function AcknowledgeCommand({ incidentId, pending, isMe }, ref) {
  const { run, pending: busy, result } = useIncidentAction(acknowledgeCommandAction, incidentId);
  return (
    <section aria-label="Command hand-over" className={`panel space-y-2 ${isMe ? "border-sev2" : ""}`}>
      <p className="text-sm">
        {isMe ? <strong>You have been given command</strong> : <>Waiting for <strong>{pending.userName}</strong> to acknowledge command</>}
        {pending.fromName ? ` (from ${pending.fromName}, ` : " ("}
        <When at={pending.since} />).
      </p>
      {pending.note && <blockquote className="border-l-2 border-line pl-3 text-sm whitespace-pre-wrap break-words">{pending.note}</blockquote>}
      {isMe && (
        <button ref={ref} type="button" className="btn-primary" disabled={busy} aria-keyshortcuts="a" onClick={() => run({ incidentId })}>
          {busy ? "Acknowledging…" : "Acknowledge command"} <kbd aria-hidden className="font-mono text-xs">a</kbd>
        </button>
      )}
      <ActionMessage result={result && !result.ok ? result : null} />
    </section>
  );
});
