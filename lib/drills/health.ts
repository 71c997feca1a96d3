import "server-only";
import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { drills, drillSignoffs, runbooks } from "@/db/schema";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { displayStatus, staleReason, type DisplayStatus } from "@/lib/runbooks/status";
import { RESULT_LABELS, type DrillResult } from "./result";

// What the catalog and a runbook page say about a runbook's health, in one plain object the badge
// renders: its status (validated / stale / draft / pending) with the reason and date for "stale",
// the last drill's exact result, and the mark a finished drill leaves until someone signs it off
// ("drill passed, awaiting sign-off") or fixes it ("failing"). Derived on read, never stored.

export type RunbookHealth = {
  status: DisplayStatus;
  /** Why stale, with the date ("revision changed since its validation on 2026-09-01"). */
  staleReason: string | null;
  /** The last finished drill: its exact result, when, and where to read it. */
  lastDrill: { id: string; href: string; result: DrillResult | null; label: string; finishedAt: string | null; scheduled: boolean; signedOff: string | null } | null;
  mark: "awaiting-signoff" | "failing" | null;
  /** One sentence with all of it, for a title or a screen reader. */
  summary: string;
};

export const MARK_LABELS = { "awaiting-signoff": "drill passed, awaiting sign-off", failing: "failing" } as const;

export async function runbookHealth(db: Db, slugs: string[], now: Date = new Date()): Promise<Record<string, RunbookHealth>> {
  if (!slugs.length) return {};
  const rows = await db.select().from(runbooks).where(inArray(runbooks.slug, slugs));
  const finished = await db
    .select({ drill: drills, signoff: drillSignoffs.result })
    .from(drills)
    .leftJoin(drillSignoffs, eq(drillSignoffs.drillId, drills.id))
    .where(inArray(drills.runbookSlug, slugs))
    .orderBy(desc(drills.finishedAt));
  const out: Record<string, RunbookHealth> = {};
  for (const runbook of rows) {
    const status = displayStatus(runbook, now);
    const stale = staleReason(runbook, now);
    const last = finished.find((f) => f.drill.runbookSlug === runbook.slug && f.drill.finishedAt);
    const result = (last?.drill.result ?? null) as DrillResult | null;
    const lastDrill = last
      ? {
          id: last.drill.id,
          href: `/drills/${last.drill.id}`,
          result,
          label: `${last.drill.state === "aborted" ? "aborted, " : ""}${result ? RESULT_LABELS[result] : "no result"}`,
          finishedAt: last.drill.finishedAt?.toISOString() ?? null,
          scheduled: last.drill.trigger === "schedule",
          signedOff: last.signoff ?? null,
        }
      : null;
    const completed = last && last.drill.state === "completed" && last.drill.revisionId === runbook.currentRevisionId;
    const mark = !completed ? null : result === "failed" ? "failing" : last.signoff ? null : "awaiting-signoff";
    const parts = [
      status === "stale" && stale ? `stale: ${stale.text}` : status,
      lastDrill ? `last drill ${lastDrill.label}${lastDrill.finishedAt ? ` on ${lastDrill.finishedAt.slice(0, 10)}` : ""}${lastDrill.signedOff ? `, signed off as ${lastDrill.signedOff.replaceAll("_", " ")}` : ""}` : "never drilled",
      ...(mark ? [MARK_LABELS[mark]] : []),
    ];
    out[runbook.slug] = { status, staleReason: stale?.text ?? null, lastDrill, mark, summary: parts.join(" · ") };
  }
  return out;
}

/** For pages: the health of the given runbooks (everyone who may read drills). */
export async function getRunbookHealth(ctx: Ctx, slugs: string[]): Promise<Record<string, RunbookHealth>> {
  requirePermission(ctx.actor, "drills.read");
  return runbookHealth(ctx.db, slugs);
}
