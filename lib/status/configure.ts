import "server-only";
import { and, eq } from "drizzle-orm";
import { statusReminderCadences, statusTemplates } from "@/db/schema/status";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { cadenceOf } from "./public-checks";
import { findSensitive, NEXT_UPDATE_TOKEN } from "./public-text";
import { updateCadenceSchema, updateTemplateSchema } from "./schemas";
import { changedMeanwhile, notFound } from "./write";

/** Edits the text an update of one severity and status starts from. */
export async function updateTemplate(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(updateTemplateSchema, input);
  return ctx.db.transaction(async (tx) => {
    const key = and(eq(statusTemplates.severity, data.severity), eq(statusTemplates.status, data.status));
    const [current] = await tx.select().from(statusTemplates).where(key);
    if (!current) throw notFound("template");
    // A fixed promise longer than the cadence would break it on every incident of this severity.
    const broken = findSensitive(data.body, { cadenceMinutes: await cadenceOf(tx, data.severity) }).filter((f) => f.kind === "promise");
    if (broken.length) {
      const msg = `“${broken[0].match}” promises more time than ${data.severity}'s cadence allows (${broken[0].why}). Write ${NEXT_UPDATE_TOKEN} instead: it always says the cadence.`;
      throw new ValidationError(msg, { body: [msg] });
    }
    const [row] = await tx
      .update(statusTemplates)
      .set({ body: data.body, version: data.version + 1, updatedAt: new Date(), updatedBy: ctx.actor.userId })
      .where(and(key, eq(statusTemplates.version, data.version)))
      .returning();
    if (!row) throw changedMeanwhile("template", current);
    await writeAudit(tx, { actor: ctx.actor, action: "status.template.update", targetType: "status_template", targetId: `${data.severity}/${data.status}`, before: { body: current.body }, after: { body: row.body } });
    return row;
  });
}

/** How many minutes may pass between public updates of an open incident of this severity. */
export async function updateCadence(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(updateCadenceSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(statusReminderCadences).where(eq(statusReminderCadences.severity, data.severity));
    if (!current) throw notFound("reminder setting");
    const [row] = await tx
      .update(statusReminderCadences)
      .set({ minutes: data.minutes, version: data.version + 1, updatedAt: new Date(), updatedBy: ctx.actor.userId })
      .where(and(eq(statusReminderCadences.severity, data.severity), eq(statusReminderCadences.version, data.version)))
      .returning();
    if (!row) throw changedMeanwhile("reminder setting", current);
    await writeAudit(tx, { actor: ctx.actor, action: "status.cadence.update", targetType: "status_cadence", targetId: data.severity, before: { minutes: current.minutes }, after: { minutes: row.minutes } });
    return row;
  });
}
