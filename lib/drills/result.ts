import type { DrillStep } from "@/db/schema";

// A drill's result is computed from its items every time it is needed (finish, a later skip, the
// sign-off), never carried over from an earlier state: passed only when every item that counts
// passed; any skip a person (or an unattended run) decided makes it "passed with skips"; any
// failure, or an abort, makes it failed.

export type DrillResult = "passed" | "passed_with_skips" | "failed";

export const RESULT_LABELS: Record<DrillResult, string> = { passed: "passed", passed_with_skips: "passed with skips", failed: "failed" };

/** A step the drill plan declared as not applicable: reviewed with the plan, so it does not weaken the result. */
export function skippedByPlan(row: Pick<DrillStep, "outcome" | "decidedBy" | "decidedByName">): boolean {
  return row.outcome === "skipped" && !row.decidedBy && row.decidedByName === "drill plan";
}

/** Skips that keep a drill from a plain pass: runbook steps and manual checks skipped by a person or an unattended run. */
export function countedSkips<T extends Pick<DrillStep, "outcome" | "kind" | "decidedBy" | "decidedByName">>(latest: T[]): T[] {
  return latest.filter((r) => r.outcome === "skipped" && (r.kind === "step" || r.kind === "manual") && !skippedByPlan(r));
}

export function computeResult(latest: DrillStep[], aborted = false): { result: DrillResult; reason: string } {
  const failed = latest.filter((r) => r.outcome === "failed");
  const skipped = countedSkips(latest);
  const passed = latest.filter((r) => r.outcome === "passed");
  const notApplicable = latest.filter(skippedByPlan).length;
  const counts = `${passed.length} passed, ${failed.length} failed, ${skipped.length} skipped${notApplicable ? `, ${notApplicable} not applicable by the plan` : ""}`;
  if (aborted) return { result: "failed", reason: `Aborted. ${counts}.` };
  if (failed.length) return { result: "failed", reason: `${counts}. First failure: ${failed[0].title} — ${failed[0].reason ?? "did not meet its expectation"}` };
  const unfinished = latest.filter((r) => r.outcome === "pending" || r.outcome === "running" || r.outcome === "waiting");
  if (unfinished.length) return { result: "failed", reason: `${counts}. ${unfinished.length} item(s) never ran.` };
  if (skipped.length) return { result: "passed_with_skips", reason: `${counts}. Skipped: ${skipped.map((r) => r.title).join("; ")}.` };
  return { result: "passed", reason: `${counts}.` };
}
