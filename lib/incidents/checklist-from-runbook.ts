import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checklistTemplates, runbookRevisions, runbooks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { Checklist, ChecklistItem, ParsedRunbook } from "@/lib/runbooks/parse";
import { fromStored } from "@/lib/runbooks/parse/stored";
import { parseInput } from "@/lib/validation";
import { checklistFromRunbookSchema } from "./schemas";

export type RunbookChecklistChoice = { value: string; label: string };

/** One line per top-level item; sub-items follow it after a colon so nothing is lost. */
function itemLines(checklist: Checklist): string[] {
  const text = (item: ChecklistItem): string =>
    item.children.length ? `${item.text.replace(/:\s*$/, "")}: ${item.children.map(text).join("; ")}` : item.text;
  return checklist.items.map(text).map((line) => line.slice(0, 500));
}

async function currentChecklists(db: Db, slug?: string) {
  const rows = await db
    .select({ slug: runbooks.slug, title: runbooks.title, revision: runbookRevisions.number, parsed: runbookRevisions.parsed })
    .from(runbooks)
    .innerJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId))
    .where(slug ? eq(runbooks.slug, slug) : isNotNull(runbooks.currentRevisionId));
  return rows.map((r) => ({ ...r, checklists: fromStored(r.parsed).checklists ?? [] }));
}

/** Every checklist of every runbook's current revision, for the settings page's picker. */
export async function runbookChecklistChoices(ctx: Ctx): Promise<RunbookChecklistChoice[]> {
  requirePermission(ctx.actor, "incidents.configure");
  const books = await currentChecklists(ctx.db);
  return books.flatMap((b) =>
    b.checklists.map((c) => ({ value: `${b.slug}#${c.id}`, label: `${b.title} — ${c.title} (${c.items.length} items)` })),
  );
}

/**
 * Points a checklist template at a runbook's checklist (admins): its items are copied now, and
 * refreshed from the runbook's current revision each time an incident gets the checklist.
 */
export async function takeChecklistFromRunbook(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "incidents.configure");
  const data = parseInput(checklistFromRunbookSchema, input);
  const [slug, checklistId] = data.source.split("#");
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(checklistTemplates).where(eq(checklistTemplates.kind, data.kind)).limit(1);
    if (!current) throw new NotFoundError("That checklist template does not exist yet.");
    const [book] = await currentChecklists(tx, slug);
    const checklist = book?.checklists.find((c) => c.id === checklistId);
    if (!book || !checklist) throw new ValidationError("That runbook checklist does not exist.", { source: ["Pick a checklist from the list."] });
    const items = itemLines(checklist);
    if (items.length === 0) throw new ValidationError("That checklist has no items.", { source: ["Pick a checklist with items."] });
    const [updated] = await tx
      .update(checklistTemplates)
      .set({ title: checklist.title.slice(0, 120), items, source: `runbook:${data.source}`, version: data.version + 1, updatedAt: new Date(), updatedBy: ctx.actor.userId })
      .where(and(eq(checklistTemplates.kind, data.kind), eq(checklistTemplates.version, data.version)))
      .returning();
    if (!updated) throw new ConflictError("Someone changed this checklist meanwhile; review it and try again.", current);
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "checklist_template.from_runbook",
      targetType: "checklist_template",
      targetId: data.kind,
      before: { source: current.source, items: current.items },
      after: { source: updated.source, revision: book.revision, items: updated.items },
    });
    return updated;
  });
}

/** The items a runbook-sourced template has now, or null to use the stored copy. */
export async function refreshedItems(tx: Db, source: string): Promise<{ title: string; items: string[] } | null> {
  if (!source.startsWith("runbook:")) return null;
  const [slug, checklistId] = source.slice("runbook:".length).split("#");
  const [book] = await currentChecklists(tx, slug);
  const checklist = book?.checklists.find((c) => c.id === checklistId);
  return checklist && checklist.items.length ? { title: checklist.title.slice(0, 120), items: itemLines(checklist) } : null;
}
