import "server-only";
import { and, eq } from "drizzle-orm";
import { incidentChecklistItems, incidentChecklists } from "@/db/schema/incidents";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { readIncident, recordChange, userRef } from "./record";
import { tickChecklistSchema } from "./schemas";

export type ChecklistItemView = { id: string; text: string; done: boolean; doneAt: string | null; doneBy: string | null; version: number };

/** Ticks or unticks one checklist item; each item has its own version so ticks rarely collide. */
export async function tickChecklistItem(ctx: Ctx, input: unknown): Promise<ChecklistItemView> {
  requirePermission(ctx.actor, "incidents.checklist");
  const data = parseInput(tickChecklistSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ item: incidentChecklistItems, list: incidentChecklists })
      .from(incidentChecklistItems)
      .innerJoin(incidentChecklists, eq(incidentChecklists.id, incidentChecklistItems.checklistId))
      .where(eq(incidentChecklistItems.id, data.itemId))
      .limit(1);
    if (!row) throw new NotFoundError("That checklist item does not exist.");
    const incident = await readIncident(tx, row.list.incidentId);
    if (incident.status === "closed") throw new ValidationError("The incident is closed; reopen it to change its checklists.");
    if (row.item.done === data.done) {
      throw new ValidationError(data.done ? "That item is already ticked." : "That item is not ticked.");
    }
    const now = new Date();
    const [updated] = await tx
      .update(incidentChecklistItems)
      .set({ done: data.done, doneAt: data.done ? now : null, doneBy: data.done ? userRef(ctx.actor) : null, version: data.version + 1 })
      .where(and(eq(incidentChecklistItems.id, data.itemId), eq(incidentChecklistItems.version, data.version)))
      .returning();
    if (!updated) throw new ConflictError("Someone changed this item meanwhile.", { id: row.item.id, done: row.item.done, version: row.item.version });
    await recordChange(
      tx,
      ctx.actor,
      {
        action: data.done ? "incident.checklist.tick" : "incident.checklist.untick",
        targetType: "incident",
        targetId: incident.id,
        before: { itemId: updated.id, done: row.item.done },
        after: { itemId: updated.id, done: updated.done },
      },
      {
        incidentId: incident.id,
        kind: data.done ? "checklist.item.ticked" : "checklist.item.unticked",
        occurredAt: now,
        body: `${data.done ? "Ticked" : "Unticked"} “${updated.text}” (${row.list.title})`,
        payload: { checklistId: row.list.id, checklistKind: row.list.kind, itemId: updated.id, text: updated.text },
      },
    );
    return {
      id: updated.id,
      text: updated.text,
      done: updated.done,
      doneAt: updated.doneAt?.toISOString() ?? null,
      doneBy: updated.doneBy,
      version: updated.version,
    };
  });
}
