import { STATUS_LABELS } from "@/lib/incidents/state-machine";
import { ALERT_EVENT_LABELS } from "@/app/(console)/alerts/_components/labels";
import { humanize } from "./humanize";

export { humanize };
export { INCIDENT_ROLE_LABELS, INCIDENT_STATUS_HINTS } from "./incident-labels";

// The words people read for the names the code uses: every timeline event kind, status and form
// field has one human label here, and every page takes its labels from this file. Areas that add
// an event kind or a field add its label below (keep each group sorted by area).

/** Timeline event kinds (lib/incidents/README.md lists their payloads). */
export const EVENT_KIND_LABELS: Record<string, string> = {
  // alerts (their own map, kept by the alerts area)
  ...ALERT_EVENT_LABELS,
  // incidents
  "incident.declared": "Declared",
  "status.changed": "Status changed",
  "severity.changed": "Severity changed",
  "command.handed_over": "Command handed over",
  "command.acknowledged": "Command acknowledged",
  "role.assigned": "Role assigned",
  "role.ended": "Role ended",
  note: "Note",
  "note.edited": "Note edited",
  "key_moment.marked": "Key moment",
  "checklist.added": "Checklist added",
  "checklist.item.ticked": "Checklist item done",
  "checklist.item.unticked": "Checklist item reopened",
  // runbook steps run for the incident
  "step.started": "Runbook step started",
  "step.finished": "Runbook step finished",
  // status page
  "status.update_published": "Public update",
  "status.update_corrected": "Public update corrected",
  "status.update_retracted": "Public update retracted",
  // triage
  "trigger.declared": "Declared from a trigger",
  "evidence.captured": "Evidence captured",
  "freeze.on": "Freeze started",
  "freeze.off": "Freeze lifted",
  "freeze.lifted": "Freeze lifted",
  "freeze.approved": "One action approved during freeze",
  "freeze.approval": "One action approved during freeze",
  "freeze.approval_used": "Approved action used",
  "freeze.refused": "Action refused by freeze",
  "recovery.validated": "Recovery validation",
  "recovery.overridden": "Recovery validation overridden",
  // reviews
  "review.published": "Review published",
  "review.occurred_at_corrected": "Time corrected in review",
  "review.moment_marked": "Key moment marked in review",
  "review.event_added": "Event added in review",
  "review.added_event": "Event added in review",
};

/**
 * The label of an event kind. A kind nobody has labelled yet still reads as words
 * ("drill.completed" → "Drill completed"), never as a dotted identifier.
 */
export function eventKindLabel(kind: string): string {
  return EVENT_KIND_LABELS[kind] ?? humanize(kind);
}

/** The same words the server uses in its own messages ("Status Triage → Investigating"). */
export const INCIDENT_STATUS_LABELS = STATUS_LABELS;

export const SEVERITY_LABELS = { SEV1: "SEV1 · Critical", SEV2: "SEV2 · Major", SEV3: "SEV3 · Minor" } as const;

export const KEY_MOMENT_LABELS = { detected: "Detected", mitigated: "Mitigated", resolved: "Resolved", custom: "Other (name it)" } as const;

export const CHECKLIST_KIND_LABELS = {
  first_five_minutes: "First five minutes",
  recovery_validation: "Recovery validation",
  post_incident: "Post-incident",
} as const;

/** The recovery checks of seed 002 §6, as lib/recovery names them. */
export const RECOVERY_CHECK_LABELS: Record<string, string> = {
  api_success_rate: "API success rate",
  queue_depth_trend: "Queue depth trend",
  terminal_error_rate: "Terminal error rate",
  audit_anomalies: "Audit anomalies",
  smoke_flow: "Smoke flow",
};

/** Form and input fields, by the name the server sees; used in validation messages. */
export const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  severity: "Severity",
  surfaces: "Affected surfaces",
  summary: "Summary",
  detectedAt: "Detected at",
  commanderId: "Commander",
  body: "Note",
  occurredAt: "Happened at",
  reason: "Reason",
  to: "New status",
  toUserId: "New commander",
  note: "Hand-over note",
  moment: "Key moment",
  label: "Key moment name",
  role: "Role",
  userId: "Person",
  name: "Name",
  description: "Description",
  responseExpectation: "Expected response",
  items: "Items",
  email: "Email",
  password: "Password",
  message: "Message",
  status: "Status",
  components: "Components",
  environmentId: "Environment",
  incidentId: "Incident",
  version: "Version",
  q: "Search",
};

export function fieldLabel(path: string): string {
  const key = path.split(".").filter((p) => !/^\d+$/.test(p)).at(-1) ?? path;
  return FIELD_LABELS[key] ?? humanize(key.replace(/Id$/, ""));
}
