import "server-only";
import { eq } from "drizzle-orm";
import { drillSignoffs, settings, type DrillSignoff } from "@/db/schema";
import type { Db } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { recordValidation } from "@/lib/runbooks";
import { parseInput } from "@/lib/validation";
import { settingsSchema, signOffSchema } from "./schemas";
import { computeResult, countedSkips } from "./result";
import { DRILLS_CHANNEL, drillRows, findDrill, latestAttempts } from "./store";

const SETTINGS_KEY = "drills.settings";
export type DrillSettings = { requireIndependentSigner: boolean };

export async function getDrillSettings(db: Db): Promise<DrillSettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SETTINGS_KEY)).limit(1);
  if (!row) return { requireIndependentSigner: false };
  return settingsSchema.parse(JSON.parse(row.value));
}

/** Admins decide whether the person who signs a drill off must differ from the one who ran it. */
export async function updateDrillSettings(ctx: Ctx, input: unknown): Promise<DrillSettings> {
  requirePermission(ctx.actor, "drills.configure");
  const data = parseInput(settingsSchema, input);
  const before = await getDrillSettings(ctx.db);
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key: SETTINGS_KEY, value: JSON.stringify(data), updatedBy: ctx.actor.userId === "system" ? null : ctx.actor.userId })
      .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(data), updatedAt: new Date(), updatedBy: ctx.actor.userId === "system" ? null : ctx.actor.userId } });
    await writeAudit(tx, { actor: ctx.actor, action: "drill.settings.update", targetType: "settings", targetId: SETTINGS_KEY, before, after: data });
  });
  return data;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Signs a finished drill off: one sign-off per drill, appended to the runbook's Validation Log
 * (date, validator, environment, result, notes, link to this report) in the same transaction.
 */
export async function signOffDrill(ctx: Ctx, input: unknown, options: { reportBaseUrl?: string } = {}): Promise<DrillSignoff> {
  requirePermission(ctx.actor, "drills.signoff");
  const data = parseInput(signOffSchema, input);
  const drill = await findDrill(ctx.db, data.drillId);
  if (drill.state !== "completed" && drill.state !== "aborted") throw new ConflictError("Only a finished drill can be signed off; let it complete or abort it.");
  if (drill.state === "aborted" && !drill.finishedAt) throw new ConflictError("The aborted drill is still cleaning up; sign it off when its cleanup has run.");
  const { requireIndependentSigner } = await getDrillSettings(ctx.db);
  if (requireIndependentSigner && drill.startedBy === ctx.actor.userId) {
    throw new ForbiddenError("Someone other than the person who ran this drill must sign it off (an admin requires independent sign-off).", "drills.signoff");
  }
  // Judged on the items as they are now, not on a result stored earlier.
  const latest = latestAttempts(await drillRows(ctx.db, drill.id));
  const { result } = computeResult(latest, drill.state === "aborted");
  const skipped = countedSkips(latest);
  const fieldErrors: Record<string, string[]> = {};
  if (result === "failed" && data.result !== "fail") fieldErrors.result = [`This drill ${drill.state === "aborted" ? "was aborted" : "has failed steps"}: it can only be signed off as a fail.`];
  else if (result === "passed_with_skips" && data.result === "pass") fieldErrors.result = [`This drill passed with skips (${skipped.length} skipped): sign off as "pass with notes" and say why the skips are fine.`];
  if (data.result !== "pass" && !data.notes) fieldErrors.notes = ["Say what the validator should know about this result."];
  if (Object.keys(fieldErrors).length) throw new ValidationError("The sign-off needs attention.", fieldErrors);

  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(drillSignoffs)
      .values({ drillId: drill.id, result: data.result, notes: data.notes, signedBy: ctx.actor.userId, signedByName: ctx.actor.name })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError("This drill is already signed off.");
    const reportUrl = `${options.reportBaseUrl ?? ""}/drills/${drill.id}`;
    const validation = await recordValidation(tx, ctx.actor, {
      runbookId: drill.runbookId,
      revisionId: drill.revisionId,
      date: today(),
      validator: ctx.actor.name,
      environment: drill.environmentName,
      result: data.result,
      notes: data.notes,
      reportUrl,
    });
    const [signed] = await tx.update(drillSignoffs).set({ validationId: validation.id }).where(eq(drillSignoffs.id, row.id)).returning();
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "drill.signoff",
      targetType: "drill",
      targetId: drill.id,
      after: { result: data.result, notes: data.notes, validationId: validation.id, runbook: drill.runbookSlug, revision: drill.revisionNumber, skipped: skipped.length },
    });
    await publish(tx, DRILLS_CHANNEL, { type: "drill.signed", id: drill.id, result: data.result });
    return signed;
  });
}
