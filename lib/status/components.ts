import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { environmentSurfaces } from "@/db/schema/environments";
import { statusComponentStates, statusComponents, statusSettings, type ComponentState, type StatusComponent } from "@/db/schema/status";
import type { Actor } from "@/lib/actor";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { archiveComponentSchema, createComponentSchema, editComponentSchema, publishComponentStateSchema } from "./schemas";
import { enqueueWebhooks } from "./webhooks";
import { auditAndSnapshot, changedMeanwhile, notFound, publicChange } from "./write";

const view = (c: StatusComponent) => ({ id: c.id, name: c.name, description: c.description, groupName: c.groupName, position: c.position, surfaceId: c.surfaceId, state: c.state });

async function checkSurface(tx: Db, surfaceId: string | undefined): Promise<void> {
  if (!surfaceId) return;
  const [surface] = await tx.select({ environmentId: environmentSurfaces.environmentId }).from(environmentSurfaces).where(eq(environmentSurfaces.id, surfaceId));
  const [settings] = await tx.select({ environmentIds: statusSettings.environmentIds }).from(statusSettings).where(eq(statusSettings.id, 1));
  if (!surface || !settings?.environmentIds.includes(surface.environmentId)) {
    throw new ValidationError("Choose a surface of an environment chosen for the status page.", { surfaceId: ["Choose a surface of an environment chosen for the status page."] });
  }
}

function nameTaken(error: unknown): boolean {
  const text = String((error as { cause?: unknown })?.cause ?? error);
  return /status_components_name_unique|duplicate key/.test(text);
}

export async function createComponent(ctx: Ctx, input: unknown): Promise<StatusComponent> {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(createComponentSchema, input);
  try {
    return await publicChange(ctx.db, async (tx) => {
      await checkSurface(tx, data.surfaceId);
      const [row] = await tx
        .insert(statusComponents)
        .values({ ...data, surfaceId: data.surfaceId ?? null, createdBy: ctx.actor.userId })
        .returning();
      await auditAndSnapshot(tx, ctx.actor, { action: "status.component.create", targetType: "status_component", targetId: row.id, after: view(row) });
      return row;
    });
  } catch (error) {
    if (nameTaken(error)) throw new ValidationError("Another component already has that name.", { name: ["Another component already has that name."] });
    throw error;
  }
}

export async function editComponent(ctx: Ctx, input: unknown): Promise<StatusComponent> {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(editComponentSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const [current] = await tx.select().from(statusComponents).where(eq(statusComponents.id, data.componentId));
    if (!current) throw notFound("component");
    await checkSurface(tx, data.surfaceId);
    const [row] = await tx
      .update(statusComponents)
      .set({ name: data.name, description: data.description, groupName: data.groupName, position: data.position, surfaceId: data.surfaceId ?? null, version: data.version + 1 })
      .where(and(eq(statusComponents.id, data.componentId), eq(statusComponents.version, data.version)))
      .returning();
    if (!row) throw changedMeanwhile("component", view(current));
    await auditAndSnapshot(tx, ctx.actor, { action: "status.component.edit", targetType: "status_component", targetId: row.id, before: view(current), after: view(row) });
    return row;
  });
}

/** Takes a component off the page; its history stays in the database. */
export async function archiveComponent(ctx: Ctx, input: unknown): Promise<StatusComponent> {
  requirePermission(ctx.actor, "status.manage");
  const data = parseInput(archiveComponentSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const [current] = await tx.select().from(statusComponents).where(eq(statusComponents.id, data.componentId));
    if (!current) throw notFound("component");
    const [row] = await tx
      .update(statusComponents)
      .set({ archivedAt: new Date(), version: data.version + 1 })
      .where(and(eq(statusComponents.id, data.componentId), eq(statusComponents.version, data.version), isNull(statusComponents.archivedAt)))
      .returning();
    if (!row) throw changedMeanwhile("component", view(current));
    await auditAndSnapshot(tx, ctx.actor, { action: "status.component.archive", targetType: "status_component", targetId: row.id, before: view(current) });
    return row;
  });
}

/**
 * Sets a component's public state and records who published it. Shared by the component page and
 * by public updates; the caller writes the audit entry and the snapshot.
 */
export async function applyComponentState(
  tx: Db,
  actor: Actor,
  componentId: string,
  state: ComponentState,
  origin: { incidentId?: string; updateId?: string; expectedVersion?: number } = {},
): Promise<{ before: ComponentState; after: ComponentState; changed: boolean }> {
  const [current] = await tx.select().from(statusComponents).where(eq(statusComponents.id, componentId)).for("update");
  if (!current || current.archivedAt) throw new ValidationError("Choose components that are on the status page.", { components: ["Choose components that are on the status page."] });
  if (origin.expectedVersion !== undefined && current.version !== origin.expectedVersion) throw changedMeanwhile("component", view(current));
  if (current.state === state) return { before: current.state, after: state, changed: false };
  const now = new Date();
  await tx.update(statusComponents).set({ state, stateChangedAt: now, version: current.version + 1 }).where(eq(statusComponents.id, componentId));
  await tx.insert(statusComponentStates).values({
    componentId,
    fromState: current.state,
    state,
    incidentId: origin.incidentId ?? null,
    updateId: origin.updateId ?? null,
    publishedAt: now,
    publishedBy: actor.userId,
  });
  return { before: current.state, after: state, changed: true };
}

/** A person confirms a component's state outside any incident update (the health board only suggests). */
export async function publishComponentState(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "status.components");
  const data = parseInput(publishComponentStateSchema, input);
  return publicChange(ctx.db, async (tx) => {
    const change = await applyComponentState(tx, ctx.actor, data.componentId, data.state, { expectedVersion: data.version });
    if (!change.changed) throw new ConflictError(`The component is already published as ${data.state.replace("_", " ")}.`);
    const snapshot = await auditAndSnapshot(tx, ctx.actor, {
      action: "status.component.state",
      targetType: "status_component",
      targetId: data.componentId,
      before: { state: change.before },
      after: { state: change.after },
    });
    const component = snapshot.components.find((c) => c.id === data.componentId)!;
    await enqueueWebhooks(tx, "component.updated", { component: { id: component.id, name: component.name, group: component.group, state: component.state, stateSince: component.stateSince } });
    return change;
  });
}
