import type { Incident, IncidentStatus } from "@/db/schema/incidents";

// The lifecycle, in order. Forward moves may skip stages while the incident is active (people
// often learn the cause and the fix at once); closing only follows resolving. Any move to an
// earlier stage (a reopen) needs a reason.
export const STATUS_ORDER: readonly IncidentStatus[] = [
  "triage",
  "investigating",
  "identified",
  "mitigating",
  "monitoring",
  "resolved",
  "closed",
];

export const ACTIVE_STATUSES: readonly IncidentStatus[] = ["triage", "investigating", "identified", "mitigating", "monitoring"];
export const OPEN_STATUSES = ACTIVE_STATUSES;

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  triage: "Triage",
  investigating: "Investigating",
  identified: "Identified",
  mitigating: "Mitigating",
  monitoring: "Monitoring",
  resolved: "Resolved",
  closed: "Closed",
};

export type TransitionVerdict = { allowed: true; backwards: boolean } | { allowed: false; reason: string };

const rank = (s: IncidentStatus) => STATUS_ORDER.indexOf(s);

export function checkTransition(from: IncidentStatus, to: IncidentStatus): TransitionVerdict {
  if (from === to) return { allowed: false, reason: `The incident is already ${STATUS_LABELS[to].toLowerCase()}.` };
  if (rank(to) > rank(from)) {
    if (to === "closed" && from !== "resolved") return { allowed: false, reason: "Only a resolved incident can be closed." };
    return { allowed: true, backwards: false };
  }
  // Backwards: reopen into one of the active stages (never back to "resolved" from "closed").
  if (!ACTIVE_STATUSES.includes(to)) return { allowed: false, reason: `An incident cannot move back to ${STATUS_LABELS[to].toLowerCase()}.` };
  return { allowed: true, backwards: true };
}

/** Every target the server would accept from `from`, for the UI's choices. */
export function allowedTargets(from: IncidentStatus): { to: IncidentStatus; backwards: boolean }[] {
  return STATUS_ORDER.flatMap((to) => {
    const v = checkTransition(from, to);
    return v.allowed ? [{ to, backwards: v.backwards }] : [];
  });
}

type Milestones = Pick<
  Incident,
  "acknowledgedAt" | "acknowledgedBy" | "mitigatedAt" | "mitigatedBy" | "resolvedAt" | "resolvedBy" | "closedAt" | "closedBy"
>;

/**
 * Milestones after a move. Leaving triage acknowledges; reaching monitoring (or beyond) mitigates;
 * resolved and closed stamp themselves. A reopen clears the milestones it undoes; the timeline
 * keeps when they were first reached.
 */
export function milestonesAfter(current: Milestones, to: IncidentStatus, at: Date, by: string | null): Partial<Milestones> {
  const r = rank(to);
  const out: Partial<Milestones> = {};
  if (r >= rank("investigating") && !current.acknowledgedAt) Object.assign(out, { acknowledgedAt: at, acknowledgedBy: by });
  if (r >= rank("monitoring") && !current.mitigatedAt) Object.assign(out, { mitigatedAt: at, mitigatedBy: by });
  if (r < rank("monitoring") && current.mitigatedAt) Object.assign(out, { mitigatedAt: null, mitigatedBy: null });
  if (r >= rank("resolved") && !current.resolvedAt) Object.assign(out, { resolvedAt: at, resolvedBy: by });
  if (r < rank("resolved") && current.resolvedAt) Object.assign(out, { resolvedAt: null, resolvedBy: null });
  if (to === "closed") Object.assign(out, { closedAt: at, closedBy: by });
  if (r < rank("closed") && current.closedAt) Object.assign(out, { closedAt: null, closedBy: null });
  return out;
}

export const SEVERITY_RANK = { SEV1: 1, SEV2: 2, SEV3: 3 } as const;

/** SEV3 → SEV2 is an upgrade (more severe); the reverse is a downgrade and needs a reason. */
export function isDowngrade(from: keyof typeof SEVERITY_RANK, to: keyof typeof SEVERITY_RANK): boolean {
  return SEVERITY_RANK[to] > SEVERITY_RANK[from];
}

export function formatNumber(n: number): string {
  return `INC-${n}`;
}
