import type { STATUS_LABELS } from "@/lib/incidents/state-machine";

// Part of labels.ts (which re-exports these), in a file of their own so the command view's code
// carries these few words and not every label of the console.

/** What each status means, for the status control and the help. */
export const INCIDENT_STATUS_HINTS: Record<keyof typeof STATUS_LABELS, string> = {
  triage: "Someone noticed; sizing it up",
  investigating: "Looking for the cause",
  identified: "Cause known, fix not yet in place",
  mitigating: "Fix or workaround being applied",
  monitoring: "Fix in place; watching that it holds",
  resolved: "Customers are no longer affected",
  closed: "Follow-up done; the record is complete",
};

export const INCIDENT_ROLE_LABELS = { commander: "Commander", scribe: "Scribe", comms: "Comms lead", responder: "Responder" } as const;
