import "server-only";
import { and, eq } from "drizzle-orm";
import { checklistTemplates, sevDefinitions } from "@/db/schema/incidents";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { updateChecklistTemplateSchema, updateSevDefinitionSchema } from "./schemas";

/** Rewrites one severity's definition (admins). */
export async function updateSevDefinition(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "incidents.configure");
  const data = parseInput(updateSevDefinitionSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(sevDefinitions).where(eq(sevDefinitions.severity, data.severity)).limit(1);
    if (!current) throw new NotFoundError("That severity has no definition yet.");
    const [updated] = await tx
      .update(sevDefinitions)
      .set({
        name: data.name,
        description: data.description,
        responseExpectation: data.responseExpectation,
        version: data.version + 1,
        updatedAt: new Date(),
        updatedBy: ctx.actor.userId,
      })
      .where(and(eq(sevDefinitions.severity, data.severity), eq(sevDefinitions.version, data.version)))
      .returning();
    if (!updated) throw new ConflictError("Someone changed this definition meanwhile; review it and try again.", current);
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "sev_definition.update",
      targetType: "sev_definition",
      targetId: data.severity,
      before: { name: current.name, description: current.description, responseExpectation: current.responseExpectation },
      after: { name: updated.name, description: updated.description, responseExpectation: updated.responseExpectation },
    });
    return updated;
  });
}

/** Rewrites a checklist template (admins). Incidents keep the copy they already have. */
export async function updateChecklistTemplate(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "incidents.configure");
  const data = parseInput(updateChecklistTemplateSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(checklistTemplates).where(eq(checklistTemplates.kind, data.kind)).limit(1);
    if (!current) throw new NotFoundError("That checklist template does not exist yet.");
    const [updated] = await tx
      .update(checklistTemplates)
      .set({
        title: data.title,
        description: data.description,
        items: data.items,
        source: "edited",
        version: data.version + 1,
        updatedAt: new Date(),
        updatedBy: ctx.actor.userId,
      })
      .where(and(eq(checklistTemplates.kind, data.kind), eq(checklistTemplates.version, data.version)))
      .returning();
    if (!updated) throw new ConflictError("Someone changed this checklist meanwhile; review it and try again.", current);
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "checklist_template.update",
      targetType: "checklist_template",
      targetId: data.kind,
      before: { title: current.title, description: current.description, items: current.items },
      after: { title: updated.title, description: updated.description, items: updated.items },
    });
    return updated;
  });
}
