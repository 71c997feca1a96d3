import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentChecklistItems, incidentChecklists } from "@/db/schema/incidents";
import type { Actor } from "@/lib/actor";
import { appendEvent, userRef } from "./record";

// Which recovery check proves which checklist item, by what the item talks about. Templates are
// admin-editable and may come from a runbook, so items are recognised by their words, not their
// position; an item that names no check stays for a person to tick.
const COVERS: Record<string, RegExp> = {
  api_success_rate: /success rate/i,
  queue_depth_trend: /queue/i,
  terminal_error_rate: /terminal error/i,
  audit_anomalies: /audit/i,
  smoke_flow: /smoke/i,
};

/** The checks an item's text names; empty when it names none. */
export function checksCoveringItem(text: string): string[] {
  return Object.entries(COVERS).flatMap(([check, words]) => (words.test(text) ? [check] : []));
}

type CheckResult = { check: string; passed: boolean };

/**
 * Ticks the open items of the incident's recovery-validation checklist that a passed validation
 * proves (every check the item names passed). Call inside a transaction that has written its
 * audit entry; each tick goes on the timeline. Returns how many items were ticked.
 */
export async function tickItemsProvenByRecovery(tx: Db, actor: Actor, incidentId: string, validation: { passed: boolean; override: boolean; results: CheckResult[] }): Promise<number> {
  if (!validation.passed || validation.override) return 0;
  const passed = new Set(validation.results.filter((r) => r.passed).map((r) => r.check));
  const [list] = await tx
    .select()
    .from(incidentChecklists)
    .where(and(eq(incidentChecklists.incidentId, incidentId), eq(incidentChecklists.kind, "recovery_validation")))
    .limit(1);
  if (!list) return 0;
  const items = await tx.select().from(incidentChecklistItems).where(eq(incidentChecklistItems.checklistId, list.id)).orderBy(asc(incidentChecklistItems.position));
  const now = new Date();
  let ticked = 0;
  for (const item of items) {
    const checks = checksCoveringItem(item.text);
    if (item.done || checks.length === 0 || !checks.every((c) => passed.has(c))) continue;
    const [updated] = await tx
      .update(incidentChecklistItems)
      .set({ done: true, doneAt: now, doneBy: userRef(actor), version: item.version + 1 })
      .where(and(eq(incidentChecklistItems.id, item.id), eq(incidentChecklistItems.version, item.version)))
      .returning({ id: incidentChecklistItems.id });
    if (!updated) continue;
    ticked += 1;
    await appendEvent(tx, actor, {
      incidentId,
      kind: "checklist.item.ticked",
      occurredAt: now,
      body: `Ticked “${item.text}” (${list.title}): proven by the passed recovery validation`,
      payload: { checklistId: list.id, checklistKind: list.kind, itemId: item.id, text: item.text, provenBy: checks },
    });
  }
  return ticked;
}
