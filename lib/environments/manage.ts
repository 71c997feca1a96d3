import "server-only";
import { and, eq } from "drizzle-orm";
import { agents, environments, environmentSurfaces, type Environment } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { parseInput } from "@/lib/validation";
import { requireProductionConfirmation } from "./production";
import {
  environmentAuditView,
  findEnvironment,
  findEnvironmentByName,
  toPublicAgent,
  toPublicEnvironment,
  type PublicAgent,
  type PublicEnvironment,
} from "./queries";
import {
  agentSchema,
  createEnvironmentSchema,
  removeAgentSchema,
  removeEnvironmentSchema,
  removeSurfaceSchema,
  surfaceSchema,
  updateEnvironmentSchema,
} from "./schemas";

export const LIVE_CHANNEL = "environments";

function who(ctx: Ctx) {
  return ctx.actor.email;
}

export async function createEnvironment(ctx: Ctx, input: unknown): Promise<PublicEnvironment> {
  requirePermission(ctx.actor, "environments.manage");
  const data = parseInput(createEnvironmentSchema, input);
  return ctx.db.transaction(async (tx) => {
    if (await findEnvironmentByName(tx, data.name)) {
      throw new ValidationError("An environment with this name already exists.", { name: ["An environment with this name already exists."] });
    }
    const [row] = await tx
      .insert(environments)
      .values({ ...data, production: data.production ?? data.kind === "production", createdBy: who(ctx), updatedBy: who(ctx) })
      .returning();
    await writeAudit(tx, { actor: ctx.actor, action: "environment.create", targetType: "environment", targetId: row.id, after: environmentAuditView(row) });
    await publish(tx, LIVE_CHANNEL, { type: "environment.created", id: row.id });
    return toPublicEnvironment(row);
  });
}

export async function updateEnvironment(ctx: Ctx, input: unknown): Promise<PublicEnvironment> {
  requirePermission(ctx.actor, "environments.manage");
  const { id, version, confirmProduction, runtimeToken, faultToken, ...changes } = parseInput(updateEnvironmentSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await findEnvironment(tx, id);
    if (!current) throw new NotFoundError("That environment does not exist.");
    // Turning the production mark off is an action on production too.
    requireProductionConfirmation(current, confirmProduction);
    if (changes.name && changes.name !== current.name && (await findEnvironmentByName(tx, changes.name))) {
      throw new ValidationError("An environment with this name already exists.", { name: ["An environment with this name already exists."] });
    }
    const set: Partial<Environment> = { ...changes, version: current.version + 1, updatedAt: new Date(), updatedBy: who(ctx) };
    if (runtimeToken !== undefined) set.runtimeToken = runtimeToken === "" ? null : runtimeToken;
    if (faultToken !== undefined) set.faultToken = faultToken === "" ? null : faultToken;
    const [updated] = await tx
      .update(environments)
      .set(set)
      .where(and(eq(environments.id, id), eq(environments.version, version)))
      .returning();
    if (!updated) throw new ConflictError("Someone changed this environment meanwhile; reload and try again.", toPublicEnvironment(current));
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "environment.update",
      targetType: "environment",
      targetId: id,
      before: environmentAuditView(current),
      after: environmentAuditView(updated),
    });
    await publish(tx, LIVE_CHANNEL, { type: "environment.updated", id });
    return toPublicEnvironment(updated);
  });
}

export async function removeEnvironment(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  requirePermission(ctx.actor, "environments.manage");
  const data = parseInput(removeEnvironmentSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await findEnvironment(tx, data.id);
    if (!current) throw new NotFoundError("That environment does not exist.");
    requireProductionConfirmation(current, data.confirmProduction);
    await tx.delete(environments).where(eq(environments.id, data.id));
    await writeAudit(tx, { actor: ctx.actor, action: "environment.remove", targetType: "environment", targetId: data.id, before: environmentAuditView(current) });
    await publish(tx, LIVE_CHANNEL, { type: "environment.removed", id: data.id });
    return { id: data.id };
  });
}

export async function addSurface(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "environments.manage");
  const { confirmProduction, ...data } = parseInput(surfaceSchema, input);
  return ctx.db.transaction(async (tx) => {
    const environment = await findEnvironment(tx, data.environmentId);
    if (!environment) throw new NotFoundError("That environment does not exist.");
    requireProductionConfirmation(environment, confirmProduction);
    const [existing] = await tx
      .select({ id: environmentSurfaces.id })
      .from(environmentSurfaces)
      .where(and(eq(environmentSurfaces.environmentId, data.environmentId), eq(environmentSurfaces.name, data.name)));
    if (existing) throw new ValidationError("This environment already has a surface with that name.", { name: ["Already used in this environment."] });
    const [row] = await tx.insert(environmentSurfaces).values({ ...data, port: data.port ?? null }).returning();
    await writeAudit(tx, { actor: ctx.actor, action: "environment.surface.add", targetType: "environment", targetId: data.environmentId, after: row });
    await publish(tx, LIVE_CHANNEL, { type: "surface.added", id: data.environmentId });
    return row;
  });
}

export async function removeSurface(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "environments.manage");
  const data = parseInput(removeSurfaceSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(environmentSurfaces).where(eq(environmentSurfaces.id, data.id));
    if (!current) throw new NotFoundError("That surface does not exist.");
    const environment = (await findEnvironment(tx, current.environmentId))!;
    requireProductionConfirmation(environment, data.confirmProduction);
    await tx.delete(environmentSurfaces).where(eq(environmentSurfaces.id, data.id));
    await writeAudit(tx, { actor: ctx.actor, action: "environment.surface.remove", targetType: "environment", targetId: current.environmentId, before: current });
    await publish(tx, LIVE_CHANNEL, { type: "surface.removed", id: current.environmentId });
    return { id: data.id };
  });
}

export async function addAgent(ctx: Ctx, input: unknown): Promise<PublicAgent> {
  requirePermission(ctx.actor, "environments.manage");
  const { confirmProduction, ...data } = parseInput(agentSchema, input);
  return ctx.db.transaction(async (tx) => {
    const environment = await findEnvironment(tx, data.environmentId);
    if (!environment) throw new NotFoundError("That environment does not exist.");
    requireProductionConfirmation(environment, confirmProduction);
    const [existing] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.environmentId, data.environmentId), eq(agents.name, data.name)));
    if (existing) throw new ValidationError("This environment already has an agent with that name.", { name: ["Already used in this environment."] });
    const [row] = await tx.insert(agents).values({ ...data, createdBy: who(ctx) }).returning();
    const view = toPublicAgent(row);
    await writeAudit(tx, { actor: ctx.actor, action: "environment.agent.add", targetType: "agent", targetId: row.id, after: { ...view, secret: "(stored, not shown)" } });
    await publish(tx, LIVE_CHANNEL, { type: "agent.added", id: data.environmentId });
    return view;
  });
}

export async function removeAgent(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "environments.manage");
  const data = parseInput(removeAgentSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(agents).where(eq(agents.id, data.id));
    if (!current) throw new NotFoundError("That agent does not exist.");
    const environment = (await findEnvironment(tx, current.environmentId))!;
    requireProductionConfirmation(environment, data.confirmProduction);
    await tx.delete(agents).where(eq(agents.id, data.id));
    await writeAudit(tx, { actor: ctx.actor, action: "environment.agent.remove", targetType: "agent", targetId: data.id, before: toPublicAgent(current) });
    await publish(tx, LIVE_CHANNEL, { type: "agent.removed", id: current.environmentId });
    return { id: data.id };
  });
}
