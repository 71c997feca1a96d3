import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { maintenanceWindows, statusComponents, type MaintenanceWindow } from "@/db/schema/status";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { cancelMaintenanceSchema, scheduleMaintenanceSchema } from "./schemas";
import { enqueueWebhooks } from "./webhooks";
import { auditAndSnapshot, changedMeanwhile, notFound, publicChange } from "./write";

const view = (w: MaintenanceWindow) => ({ id: w.id, title: w.title, message: w.message, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(), componentIds: w.componentIds });

/** Announces a maintenance window: shown ahead of time, and its components as in maintenance during it. */
export async function scheduleMaintenance(ctx: Ctx, input: unknown): Promise<MaintenanceWindow> {
  requirePermission(ctx.actor, "status.components");
  const data = parseInput(scheduleMaintenanceSchema, input);
  if (data.endsAt.getTime() <= Date.now()) throw new ValidationError("The window has already ended.", { endsAt: ["Choose an end in the future."] });
  return publicChange(ctx.db, async (tx) => {
    const ids = [...new Set(data.componentIds)];
    const found = await tx.select({ id: statusComponents.id }).from(statusComponents).where(and(inArray(statusComponents.id, ids), isNull(statusComponents.archivedAt)));
    if (found.length !== ids.length) throw new ValidationError("Choose components that are on the status page.", { componentIds: ["Choose components that are on the status page."] });
    const [row] = await tx
      .insert(maintenanceWindows)
      .values({ title: data.title, message: data.message, startsAt: data.startsAt, endsAt: data.endsAt, componentIds: ids, createdBy: ctx.actor.userId })
      .returning();
    const snapshot = await auditAndSnapshot(tx, ctx.actor, { action: "status.maintenance.schedule", targetType: "maintenance_window", targetId: row.id, after: view(row) });
    const pub = snapshot.maintenance.find((m) => m.id === row.id);
    if (pub) await enqueueWebhooks(tx, "maintenance.scheduled", { maintenance: pub });
    return row;
  });
}

export async function cancelMaintenance(ctx: Ctx, input: unknown): Promise<MaintenanceWindow> {
  requirePermission(ctx.actor, "status.components");
  const data = parseInput(cancelMaintenanceSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const [current] = await tx.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, data.windowId));
    if (!current) throw notFound("maintenance window");
    const [row] = await tx
      .update(maintenanceWindows)
      .set({ cancelledAt: new Date(), cancelledBy: ctx.actor.userId, version: data.version + 1 })
      .where(and(eq(maintenanceWindows.id, data.windowId), eq(maintenanceWindows.version, data.version), isNull(maintenanceWindows.cancelledAt)))
      .returning();
    if (!row) throw changedMeanwhile("maintenance window", view(current));
    await auditAndSnapshot(tx, ctx.actor, { action: "status.maintenance.cancel", targetType: "maintenance_window", targetId: row.id, before: view(current) });
    await enqueueWebhooks(tx, "maintenance.cancelled", { maintenance: { id: row.id, title: row.title } });
    return row;
  });
}
