"use client";

import { When } from "@/app/_components/time";
import type { PendingAcknowledgement } from "@/lib/incidents/incident-state";
import { ActionMessage } from "./use-action";

type Acknowledge = { acknowledge: () => void; busy: boolean; result: React.ComponentProps<typeof ActionMessage>["result"] };

/**
 * Command handed to someone who has not said they have it. They see the note and the button;
 * everyone else sees whom the incident is waiting for. Loaded only while a hand-over waits; the
 * action (and the `a` key) live in the command view, so a key pressed before this arrives counts.
 */
export function AcknowledgeCommand({ pending, isMe, acknowledge, busy, result }: { pending: PendingAcknowledgement; isMe: boolean } & Acknowledge) {
  return (
    <section aria-label="Command hand-over" className={`panel space-y-2 ${isMe ? "border-sev2" : ""}`}>
      <p className="text-sm">
        {isMe ? <strong>You have been given command</strong> : <>Waiting for <strong>{pending.userName}</strong> to acknowledge command</>}
        {pending.fromName ? ` (from ${pending.fromName}, ` : " ("}
        <When at={pending.since} />).
      </p>
      {pending.note && <blockquote className="border-l-2 border-line pl-3 text-sm whitespace-pre-wrap break-words">{pending.note}</blockquote>}
      {isMe && (
        <button type="button" className="btn-primary" disabled={busy} aria-keyshortcuts="a" onClick={acknowledge}>
          {busy ? "Acknowledging…" : "Acknowledge command"} <kbd aria-hidden className="font-mono text-xs">a</kbd>
        </button>
      )}
      <ActionMessage result={result && !result.ok ? result : null} />
    </section>
  );
}
