import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentRoles, incidents, type IncidentStatus, type Severity } from "@/db/schema/incidents";
import { publicUpdates, statusComponentStates, type PublicUpdate } from "@/db/schema/status";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { recordChange } from "@/lib/incidents/record";
import { parseInput } from "@/lib/validation";
import { applyComponentState } from "./components";
import { checkNotAllOperational, checkPublicText } from "./public-checks";
import { correctUpdateSchema, discardDraftSchema, publishDraftSchema, retractUpdateSchema, saveUpdateSchema } from "./schemas";
import { storeSnapshot } from "./snapshot";
import { enqueueWebhooks } from "./webhooks";
import { changedMeanwhile, notFound, publicChange } from "./write";

/** The timeline event kind this area adds to incidents (see lib/incidents/README.md). */
export const UPDATE_PUBLISHED_EVENT = "status.update_published";
export const UPDATE_CORRECTED_EVENT = "status.update_corrected";
export const UPDATE_RETRACTED_EVENT = "status.update_retracted";

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
  const [incident] = await tx.select({ id: incidents.id, severity: incidents.severity, status: incidents.status }).from(incidents).where(eq(incidents.id, incidentId));
  if (!incident) throw new NotFoundError("That incident does not exist.");
  const role = await publisherRole(tx, actor, incidentId);
  if (!role) throw new ForbiddenError("Only the incident's comms lead or commander (or an admin) may write its public updates.", "status.publish");
  return incident;
}

const auditView = (u: PublicUpdate) => ({
  id: u.id,
  incidentId: u.incidentId,
  title: u.title,
  status: u.status,
  message: u.message,
  components: u.components,
  draft: u.draft,
  ...(u.correctedAt ? { correctedAt: u.correctedAt } : {}),
  ...(u.retractedAt ? { retractedAt: u.retractedAt, retractionReason: u.retractionReason } : {}),
});

type Confirmations = { confirmSensitive: boolean; confirmOperational: boolean };

/** The checks before publish; what the author confirmed goes into the audit entry. */
async function checkBeforePublish(tx: Db, incident: { severity: Severity; status: IncidentStatus }, update: Pick<PublicUpdate, "title" | "message" | "status" | "components">, confirm: Confirmations) {
  const findings = await checkPublicText(tx, incident.severity, [update.title, update.message], confirm.confirmSensitive);
  await checkNotAllOperational(tx, incident.status, update, confirm.confirmOperational);
  const operationalConfirmed = confirm.confirmOperational && update.status !== "resolved";
  return findings.length || operationalConfirmed
    ? { confirmedFindings: findings.map((f) => ({ kind: f.kind, match: f.match })), confirmedOperational: operationalConfirmed || undefined }
    : {};
}

/** Makes an update public: component states, audit, timeline event, snapshot, webhooks. */
async function publishInTx(tx: Db, actor: Actor, update: PublicUpdate, before: ReturnType<typeof auditView> | null, confirmed: object = {}): Promise<PublicUpdate> {
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
    { action: "status.update.publish", targetType: "public_update", targetId: update.id, before, after: { ...auditView(update), ...confirmed } },
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
    const incident = await requirePublisher(tx, ctx.actor, data.incidentId);
    const confirmed = data.publish ? await checkBeforePublish(tx, incident, data, data) : {};
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
    if (data.publish) return publishInTx(tx, ctx.actor, row, null, confirmed);
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
    const incident = await requirePublisher(tx, ctx.actor, current.incidentId);
    const confirmed = await checkBeforePublish(tx, incident, current, data);
    const now = new Date();
    const [row] = await tx
      .update(publicUpdates)
      .set({ draft: false, publishedAt: now, publishedBy: ctx.actor.userId, version: data.version + 1 })
      .where(and(eq(publicUpdates.id, data.updateId), eq(publicUpdates.version, data.version), eq(publicUpdates.draft, true)))
      .returning();
    if (!row) throw changedMeanwhile("update", auditView(current));
    return publishInTx(tx, ctx.actor, row, auditView(current), confirmed);
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

/** A published, not retracted update of an incident the caller may speak for. */
async function publishedUpdate(tx: Db, actor: Actor, updateId: string) {
  const [current] = await tx.select().from(publicUpdates).where(eq(publicUpdates.id, updateId));
  if (!current) throw notFound("update");
  const incident = await requirePublisher(tx, actor, current.incidentId);
  if (current.draft) throw new ValidationError("Only a published update can be corrected or retracted; edit or discard the draft instead.");
  if (current.retractedAt) throw new ValidationError("This update was retracted; publish a new update instead.");
  return { current, incident };
}

/** Re-announces a changed public update to every instance and subscriber. */
async function republish(tx: Db, update: PublicUpdate, change: "corrected" | "retracted") {
  const snapshot = await storeSnapshot(tx, `status.update.${change === "corrected" ? "correct" : "retract"}`);
  const incident = snapshot.incidents.find((i) => i.id === update.incidentId);
  const view = incident?.updates.find((u) => u.id === update.id);
  if (incident && view) {
    await enqueueWebhooks(tx, "incident.update", {
      change,
      incident: { id: incident.id, title: incident.title, status: incident.status, impact: incident.impact, startedAt: incident.startedAt, resolvedAt: incident.resolvedAt, url: `/status/incidents/${incident.id}` },
      update: view,
    });
  }
}

/**
 * Corrects a published update's text. The page marks it as corrected; the audit entry keeps the
 * original text and the reason. Component states stay as published (a new update changes them).
 */
export async function correctUpdate(ctx: Ctx, input: unknown): Promise<PublicUpdate> {
  requirePermission(ctx.actor, "status.publish");
  const data = parseInput(correctUpdateSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const { current, incident } = await publishedUpdate(tx, ctx.actor, data.updateId);
    if (data.message === current.message) throw new ValidationError("The corrected text is the same as the published one.", { message: ["The corrected text is the same as the published one."] });
    const findings = await checkPublicText(tx, incident.severity, [data.message], data.confirmSensitive);
    const now = new Date();
    const [row] = await tx
      .update(publicUpdates)
      .set({ message: data.message, correctedAt: now, correctedBy: ctx.actor.userId, version: data.version + 1 })
      .where(and(eq(publicUpdates.id, data.updateId), eq(publicUpdates.version, data.version), isNull(publicUpdates.retractedAt)))
      .returning();
    if (!row) throw changedMeanwhile("update", auditView(current));
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "status.update.correct",
        targetType: "public_update",
        targetId: row.id,
        before: auditView(current),
        after: { ...auditView(row), reason: data.reason, ...(findings.length ? { confirmedFindings: findings.map((f) => ({ kind: f.kind, match: f.match })) } : {}) },
      },
      {
        incidentId: row.incidentId,
        kind: UPDATE_CORRECTED_EVENT,
        occurredAt: now,
        body: `Public update corrected (${row.status}): ${data.reason}`,
        payload: { updateId: row.id, status: row.status, reason: data.reason },
      },
    );
    await republish(tx, row, "corrected");
    return row;
  });
}

/**
 * Withdraws a published update: the page keeps a "retracted" notice in its place without the text,
 * the incident's public status falls back to the update before it; the audit keeps everything.
 */
export async function retractUpdate(ctx: Ctx, input: unknown): Promise<PublicUpdate> {
  requirePermission(ctx.actor, "status.publish");
  const data = parseInput(retractUpdateSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const { current } = await publishedUpdate(tx, ctx.actor, data.updateId);
    const now = new Date();
    const [row] = await tx
      .update(publicUpdates)
      .set({ retractedAt: now, retractedBy: ctx.actor.userId, retractionReason: data.reason, version: data.version + 1 })
      .where(and(eq(publicUpdates.id, data.updateId), eq(publicUpdates.version, data.version), isNull(publicUpdates.retractedAt)))
      .returning();
    if (!row) throw changedMeanwhile("update", auditView(current));
    await recordChange(
      tx,
      ctx.actor,
      { action: "status.update.retract", targetType: "public_update", targetId: row.id, before: auditView(current), after: { ...auditView(row), reason: data.reason } },
      {
        incidentId: row.incidentId,
        kind: UPDATE_RETRACTED_EVENT,
        occurredAt: now,
        body: `Public update retracted (${row.status}): ${data.reason}`,
        payload: { updateId: row.id, status: row.status, reason: data.reason },
      },
    );
    await republish(tx, row, "retracted");
    return row;
  });
}
