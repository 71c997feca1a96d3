import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { agents, environments, environmentSurfaces, surfaceHealthChanges, type Agent, type Environment, type EnvironmentSurface } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { desc, inArray } from "drizzle-orm";

/** What a browser may see of an environment: never its tokens. */
export type PublicEnvironment = Omit<Environment, "runtimeToken" | "faultToken"> & { hasRuntimeToken: boolean; hasFaultSwitches: boolean };
/** What a browser may see of an agent: never its secret. */
export type PublicAgent = Omit<Agent, "secret">;

export function toPublicEnvironment({ runtimeToken, faultToken, ...rest }: Environment): PublicEnvironment {
  return { ...rest, hasRuntimeToken: !!runtimeToken, hasFaultSwitches: !!faultToken };
}

export function toPublicAgent({ secret: _secret, ...rest }: Agent): PublicAgent {
  return rest;
}

/** For audit entries: public fields without timestamps. */
export function environmentAuditView(e: Environment) {
  const { createdAt: _c, updatedAt: _u, ...rest } = toPublicEnvironment(e);
  return rest;
}

export async function findEnvironment(db: Db, id: string): Promise<Environment | undefined> {
  const [row] = await db.select().from(environments).where(eq(environments.id, id)).limit(1);
  return row;
}

export async function findEnvironmentByName(db: Db, name: string): Promise<Environment | undefined> {
  const [row] = await db.select().from(environments).where(eq(environments.name, name)).limit(1);
  return row;
}

export async function requireEnvironment(db: Db, id: string): Promise<Environment> {
  const row = await findEnvironment(db, id);
  if (!row) throw new NotFoundError("That environment does not exist.");
  return row;
}

export async function listEnvironments(ctx: Ctx): Promise<PublicEnvironment[]> {
  requirePermission(ctx.actor, "environments.read");
  const rows = await ctx.db.select().from(environments).orderBy(asc(environments.name));
  return rows.map(toPublicEnvironment);
}

export type EnvironmentDetail = { environment: PublicEnvironment; surfaces: EnvironmentSurface[]; agents: PublicAgent[] };

export async function getEnvironmentDetail(ctx: Ctx, idOrName: string): Promise<EnvironmentDetail> {
  requirePermission(ctx.actor, "environments.read");
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const environment = isUuid ? await findEnvironment(ctx.db, idOrName) : await findEnvironmentByName(ctx.db, idOrName);
  if (!environment) throw new NotFoundError("That environment does not exist.");
  const [surfaces, agentRows] = await Promise.all([
    listSurfaces(ctx.db, environment.id),
    ctx.db.select().from(agents).where(eq(agents.environmentId, environment.id)).orderBy(asc(agents.name)),
  ]);
  return { environment: toPublicEnvironment(environment), surfaces, agents: agentRows.map(toPublicAgent) };
}

export async function listSurfaces(db: Db, environmentId: string): Promise<EnvironmentSurface[]> {
  return db
    .select()
    .from(environmentSurfaces)
    .where(eq(environmentSurfaces.environmentId, environmentId))
    .orderBy(asc(environmentSurfaces.position), asc(environmentSurfaces.name));
}

/** Environments with their agents, for the step runner's pickers. */
export async function listRunTargets(ctx: Ctx) {
  requirePermission(ctx.actor, "environments.read");
  const envs = await ctx.db.select().from(environments).orderBy(asc(environments.name));
  const agentRows = envs.length ? await ctx.db.select().from(agents).where(inArray(agents.environmentId, envs.map((e) => e.id))).orderBy(asc(agents.name)) : [];
  return envs.map((e) => ({
    id: e.id,
    name: e.name,
    kind: e.kind,
    production: e.production,
    agents: agentRows.filter((a) => a.environmentId === e.id).map((a) => ({ id: a.id, name: a.name, url: a.url, lastSeenAt: a.lastSeenAt })),
  }));
}

export type RunTarget = Awaited<ReturnType<typeof listRunTargets>>[number];

/** Server-only: the agent row with its secret, for signing. */
export async function findAgentWithSecret(db: Db, id: string): Promise<Agent | undefined> {
  const [row] = await db.select().from(agents).where(eq(agents.id, id)).limit(1);
  return row;
}

export async function recentHealthChanges(db: Db, environmentId: string, limit = 30) {
  return db
    .select({
      id: surfaceHealthChanges.id,
      at: surfaceHealthChanges.at,
      from: surfaceHealthChanges.from,
      to: surfaceHealthChanges.to,
      httpStatus: surfaceHealthChanges.httpStatus,
      error: surfaceHealthChanges.error,
      surface: environmentSurfaces.name,
    })
    .from(surfaceHealthChanges)
    .innerJoin(environmentSurfaces, eq(environmentSurfaces.id, surfaceHealthChanges.surfaceId))
    .where(eq(environmentSurfaces.environmentId, environmentId))
    .orderBy(desc(surfaceHealthChanges.at))
    .limit(limit);
}
