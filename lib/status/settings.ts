import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { environments } from "@/db/schema/environments";
import { statusSettings } from "@/db/schema/status";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { updateSettingsSchema } from "./schemas";
import { auditAndSnapshot, changedMeanwhile, publicChange } from "./write";

export type StatusSettingsView = typeof statusSettings.$inferSelect;

/** Title, description, "require sign-in" and the environments whose surfaces feed the page. */
export async function updateStatusSettings(ctx: Ctx, input: unknown): Promise<StatusSettingsView> {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(updateSettingsSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const [current] = await tx.select().from(statusSettings).where(eq(statusSettings.id, 1));
    if (data.environmentIds.length) {
      const found = await tx.select({ id: environments.id }).from(environments).where(inArray(environments.id, data.environmentIds));
      if (found.length !== new Set(data.environmentIds).size) {
        throw new ValidationError("Choose existing environments.", { environmentIds: ["Choose existing environments."] });
      }
    }
    const [row] = await tx
      .update(statusSettings)
      .set({
        title: data.title,
        description: data.description,
        requireSignIn: data.requireSignIn,
        environmentIds: [...new Set(data.environmentIds)],
        version: data.version + 1,
        updatedAt: new Date(),
        updatedBy: ctx.actor.userId,
      })
      .where(and(eq(statusSettings.id, 1), eq(statusSettings.version, data.version)))
      .returning();
    if (!row) throw changedMeanwhile("status page's settings", current);
    const view = (r: StatusSettingsView) => ({ title: r.title, description: r.description, requireSignIn: r.requireSignIn, environmentIds: r.environmentIds });
    await auditAndSnapshot(tx, ctx.actor, { action: "status.settings.update", targetType: "status_settings", targetId: "1", before: current ? view(current) : null, after: view(row) });
    return row;
  });
}
