// The status a person sees. "stale" is derived, never stored: a validated runbook whose current
// revision is not the one validated, or whose last validation is older than STALE_AFTER_DAYS.
export type DisplayStatus = "pending" | "draft" | "validated" | "stale";

export const STALE_AFTER_DAYS = 90;

export function displayStatus(
  row: { status: "pending" | "draft" | "validated"; currentRevisionId: string | null; lastValidatedAt: Date | null; lastValidatedRevisionId: string | null },
  now: Date = new Date(),
): DisplayStatus {
  if (row.status !== "validated") return row.status;
  if (!row.lastValidatedAt || row.lastValidatedRevisionId !== row.currentRevisionId) return "stale";
  const ageDays = (now.getTime() - row.lastValidatedAt.getTime()) / 86_400_000;
  return ageDays > STALE_AFTER_DAYS ? "stale" : "validated";
}

export const statusDescriptions: Record<DisplayStatus, string> = {
  pending: "Referenced by another runbook, not written yet",
  draft: "Written, never validated",
  validated: "Validated in a drill on its current revision",
  stale: `Changed since its last validation, or last validated more than ${STALE_AFTER_DAYS} days ago`,
};

export type StaleReason = { kind: "revision-changed" | "too-old"; since: Date | null; text: string };

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Why a runbook shows as stale, with the date that makes it so; null when it is not stale. */
export function staleReason(
  row: { status: "pending" | "draft" | "validated"; currentRevisionId: string | null; lastValidatedAt: Date | null; lastValidatedRevisionId: string | null; updatedAt?: Date },
  now: Date = new Date(),
): StaleReason | null {
  if (displayStatus(row, now) !== "stale") return null;
  if (!row.lastValidatedAt) return { kind: "revision-changed", since: null, text: "never validated on a recorded revision" };
  if (row.lastValidatedRevisionId !== row.currentRevisionId) {
    return { kind: "revision-changed", since: row.lastValidatedAt, text: `revision changed since its validation on ${day(row.lastValidatedAt)}` };
  }
  const ageDays = Math.floor((now.getTime() - row.lastValidatedAt.getTime()) / 86_400_000);
  return { kind: "too-old", since: row.lastValidatedAt, text: `last validated ${day(row.lastValidatedAt)}, ${ageDays} days ago (more than ${STALE_AFTER_DAYS})` };
}
