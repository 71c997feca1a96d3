import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentRoles, incidents } from "@/db/schema/incidents";
import { publicUpdates, statusComponentStates, type PublicUpdate } from "@/db/schema/status";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { recordChange } from "@/lib/incidents/record";
import { parseInput } from "@/lib/validation";
import { applyComponentState } from "./components";
import { discardDraftSchema, publishDraftSchema, saveUpdateSchema } from "./schemas";
import { storeSnapshot } from "./snapshot";
import { enqueueWebhooks } from "./webhooks";
import { changedMeanwhile, notFound, publicChange } from "./write";

/** The timeline event kind this area adds to incidents (see lib/incidents/README.md). */
export const UPDATE_PUBLISHED_EVENT = "status.update_published";

/** Who may speak for an incident in public: an admin, or its current comms lead or commander. */
export async function publisherRole(db: Db, actor: Actor, incidentId: string): Promise<"admin" | "commander" | "comms" | null> {
  if (actor.role === "admin") return "admin";
  const held = await db
    .select({ role: incidentRoles.role })
    .from(incidentRoles)
    .where(and(eq(incidentRoles.incidentId, incidentId), eq(incidentRoles.userId, actor.userId), isNull(incidentRoles.endedAt), inArray(incidentRoles.role, ["commander", "comms"])));
  if (held.some((h) => h.role === "comms")) return "comms";
  if (held.some((h) => h.role === "commander")) return "commander";
  return null;
}

async function requirePublisher(tx: Db, actor: Actor, incidentId: string) {
  requirePermission(actor, "status.publish");
  const [incident] = await tx.select({ id: incidents.id, severity: incidents.severity }).from(incidents).where(eq(incidents.id, incidentId));
  if (!incident) throw new NotFoundError("That incident does not exist.");
  const role = await publisherRole(tx, actor, incidentId);
  if (!role) throw new ForbiddenError("Only the incident's comms lead or commander (or an admin) may write its public updates.", "status.publish");
  return incident;
}

const auditView = (u: PublicUpdate) => ({ id: u.id, incidentId: u.incidentId, title: u.title, status: u.status, message: u.message, components: u.components, draft: u.draft });

/** Makes an update public: component states, audit, timeline event, snapshot, webhooks. */
async function publishInTx(tx: Db, actor: Actor, update: PublicUpdate, before: ReturnType<typeof auditView> | null): Promise<PublicUpdate> {
  const affected = [...update.components];
  if (update.status === "resolved") {
    // Resolving returns every component this incident touched to operational unless stated otherwise.
    const touched = await tx
      .selectDistinct({ componentId: statusComponentStates.componentId })
      .from(statusComponentStates)
      .where(eq(statusComponentStates.incidentId, update.incidentId));
    for (const t of touched) if (!affected.some((a) => a.componentId === t.componentId)) affected.push({ componentId: t.componentId, state: "operational" });
  }
  for (const a of affected) await applyComponentState(tx, actor, a.componentId, a.state, { incidentId: update.incidentId, updateId: update.id });
  await recordChange(
    tx,
    actor,
    { action: "status.update.publish", targetType: "public_update", targetId: update.id, before, after: auditView(update) },
    {
      incidentId: update.incidentId,
      kind: UPDATE_PUBLISHED_EVENT,
      body: `Public update published (${update.status}): ${update.message}`,
      payload: { updateId: update.id, status: update.status, title: update.title, components: affected },
    },
  );
  const snapshot = await storeSnapshot(tx, "status.update.publish");
  const incident = snapshot.incidents.find((i) => i.id === update.incidentId);
  const published = incident?.updates.find((u) => u.id === update.id);
  if (incident && published) {
    await enqueueWebhooks(tx, "incident.update", {
      incident: { id: incident.id, title: incident.title, status: incident.status, impact: incident.impact, startedAt: incident.startedAt, resolvedAt: incident.resolvedAt, url: `/status/incidents/${incident.id}` },
      update: published,
    });
  }
  return update;
}

/** Writes a public update on an incident: kept as a draft, or published at once. */
export async function saveUpdate(ctx: Ctx, input: unknown): Promise<PublicUpdate> {
  requirePermission(ctx.actor, "status.publish");
  const data = parseInput(saveUpdateSchema, input);
  return publicChange(ctx.db, async (tx) => {
    await requirePublisher(tx, ctx.actor, data.incidentId);
    const now = new Date();
    const [row] = await tx
      .insert(publicUpdates)
      .values({
        incidentId: data.incidentId,
        title: data.title,
        status: data.status,
        message: data.message,
        components: data.components,
        draft: !data.publish,
        createdAt: now,
        createdBy: ctx.actor.userId,
        publishedAt: data.publish ? now : null,
        publishedBy: data.publish ? ctx.actor.userId : null,
      })
      .returning();
    if (data.publish) return publishInTx(tx, ctx.actor, row, null);
    await writeAudit(tx, { actor: ctx.actor, action: "status.update.draft", targetType: "public_update", targetId: row.id, after: auditView(row) });
    return row;
  });
}

export async function publishDraft(ctx: Ctx, input: unknown): Promise<PublicUpdate> {
  requirePermission(ctx.actor, "status.publish");
  const data = parseInput(publishDraftSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const [current] = await tx.select().from(publicUpdates).where(eq(publicUpdates.id, data.updateId));
    if (!current) throw notFound("update");
    await requirePublisher(tx, ctx.actor, current.incidentId);
    const now = new Date();
    const [row] = await tx
      .update(publicUpdates)
      .set({ draft: false, publishedAt: now, publishedBy: ctx.actor.userId, version: data.version + 1 })
      .where(and(eq(publicUpdates.id, data.updateId), eq(publicUpdates.version, data.version), eq(publicUpdates.draft, true)))
      .returning();
    if (!row) throw changedMeanwhile("update", auditView(current));
    return publishInTx(tx, ctx.actor, row, auditView(current));
  });
}

export async function discardDraft(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  requirePermission(ctx.actor, "status.publish");
  const data = parseInput(discardDraftSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(publicUpdates).where(eq(publicUpdates.id, data.updateId));
    if (!current) throw notFound("update");
    await requirePublisher(tx, ctx.actor, current.incidentId);
    const [row] = await tx
      .delete(publicUpdates)
      .where(and(eq(publicUpdates.id, data.updateId), eq(publicUpdates.version, data.version), eq(publicUpdates.draft, true)))
      .returning({ id: publicUpdates.id });
    if (!row) throw changedMeanwhile("update", auditView(current));
    await writeAudit(tx, { actor: ctx.actor, action: "status.update.discard", targetType: "public_update", targetId: row.id, before: auditView(current) });
    return row;
  });
}
