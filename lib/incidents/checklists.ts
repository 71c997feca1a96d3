import "server-only";
import { refreshedItems } from "./checklist-from-runbook";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checklistTemplates, incidentChecklistItems, incidentChecklists, type ChecklistKind } from "@/db/schema/incidents";
import type { Actor } from "@/lib/actor";
import { defaultsPresent, ensureIncidentDefaults } from "./defaults";
import { appendEvent } from "./record";

/**
 * Copies the current template into the incident (once per kind) and notes it on the timeline.
 * Call inside a transaction that has already written its audit entry.
 */
export async function attachChecklist(tx: Db, actor: Actor, incidentId: string, kind: ChecklistKind): Promise<boolean> {
  const [existing] = await tx
    .select({ id: incidentChecklists.id })
    .from(incidentChecklists)
    .where(and(eq(incidentChecklists.incidentId, incidentId), eq(incidentChecklists.kind, kind)))
    .limit(1);
  if (existing) return false;
  let [template] = await tx.select().from(checklistTemplates).where(eq(checklistTemplates.kind, kind)).limit(1);
  if (!template) {
    if (!(await defaultsPresent(tx))) await ensureIncidentDefaults(tx);
    [template] = await tx.select().from(checklistTemplates).where(eq(checklistTemplates.kind, kind)).limit(1);
  }
  // A template that points at a runbook follows the runbook's current revision.
  const fromRunbook = await refreshedItems(tx, template.source);
  if (fromRunbook) template = { ...template, ...fromRunbook };
  const [list] = await tx
    .insert(incidentChecklists)
    .values({ incidentId, kind, title: template.title, templateVersion: template.version })
    .returning();
  await tx.insert(incidentChecklistItems).values(template.items.map((text, position) => ({ checklistId: list.id, position, text })));
  await appendEvent(tx, actor, {
    incidentId,
    kind: "checklist.added",
    body: `Checklist “${template.title}” added (${template.items.length} items).`,
    payload: { checklistId: list.id, checklistKind: kind, templateVersion: template.version, items: template.items.length },
  });
  return true;
}

/** Items not yet done on one of the incident's checklists; null when the incident lacks that list. */
export async function openItems(tx: Db, incidentId: string, kind: ChecklistKind): Promise<string[] | null> {
  const [list] = await tx
    .select({ id: incidentChecklists.id })
    .from(incidentChecklists)
    .where(and(eq(incidentChecklists.incidentId, incidentId), eq(incidentChecklists.kind, kind)))
    .limit(1);
  if (!list) return null;
  const items = await tx
    .select({ text: incidentChecklistItems.text, done: incidentChecklistItems.done })
    .from(incidentChecklistItems)
    .where(eq(incidentChecklistItems.checklistId, list.id))
    .orderBy(asc(incidentChecklistItems.position));
  return items.filter((i) => !i.done).map((i) => i.text);
}
