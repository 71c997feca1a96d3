import "server-only";
import { and, eq, notInArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { agents, environments, environmentSurfaces } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { publish } from "@/lib/live";
import { LIVE_CHANNEL } from "./manage";
import { environmentAuditView } from "./queries";
import { environmentKinds } from "./schemas";

// An environment that describes itself: its APIs, its surfaces (with the ports runbooks call them
// on) and optionally a local host agent. Registering creates the environment or refreshes it by
// name. The console knows nothing of any particular environment; the reference environment
// registers itself with this document like any other would.

const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), "only http and https URLs")
  .transform((v) => v.replace(/\/+$/, ""));
const port = z.number().int().min(1).max(65535);

export const registrationSurfaceSchema = z.object({
  name: z.string().trim().min(1).max(80),
  key: z.string().trim().min(1).max(80).optional(),
  unit: z.string().trim().max(500).optional(),
  command: z.string().trim().max(500).optional(),
  healthUrl: httpUrl,
  hostHeader: z.string().trim().max(500).optional(),
  group: z.string().trim().min(1).max(40).default("services"),
  runbookPorts: z.array(port).max(10).default([]),
});

export const environmentRegistrationSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, "lower-case letters, digits and dashes"),
  kind: z.enum(environmentKinds),
  description: z.string().max(500).default(""),
  controlBaseUrl: httpUrl,
  runtimeBaseUrl: httpUrl,
  production: z.boolean().default(false),
  faultToken: z.string().min(1).optional(),
  surfaces: z.array(registrationSurfaceSchema).max(200).default([]),
  agent: z.object({ name: z.string().min(1).max(60).default("local"), url: httpUrl, agentId: z.string().min(1), secretFile: z.string().min(1) }).optional(),
});
export type EnvironmentRegistration = z.input<typeof environmentRegistrationSchema>;

/** Creates or refreshes the environment a registration describes; returns its id. */
export async function registerEnvironment(db: Db, input: EnvironmentRegistration, agentSecret?: string): Promise<string> {
  const registration = environmentRegistrationSchema.parse(input);
  const actor = systemActor();
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, registration.name));
    const values = {
      kind: registration.kind,
      description: registration.description,
      controlBaseUrl: registration.controlBaseUrl,
      runtimeBaseUrl: registration.runtimeBaseUrl,
      production: registration.production,
      faultToken: registration.faultToken ?? null,
    };
    let environmentId: string;
    if (current) {
      const [row] = await tx
        .update(environments)
        .set({ ...values, version: current.version + 1, updatedAt: new Date(), updatedBy: actor.email })
        .where(eq(environments.id, current.id))
        .returning();
      environmentId = row.id;
      const changed = current.controlBaseUrl !== row.controlBaseUrl || current.runtimeBaseUrl !== row.runtimeBaseUrl || current.faultToken !== row.faultToken;
      if (changed) {
        await writeAudit(tx, { actor, action: "environment.update", targetType: "environment", targetId: row.id, before: environmentAuditView(current), after: environmentAuditView(row) });
      }
    } else {
      const [row] = await tx.insert(environments).values({ name: registration.name, ...values, createdBy: actor.email, updatedBy: actor.email }).returning();
      environmentId = row.id;
      await writeAudit(tx, { actor, action: "environment.create", targetType: "environment", targetId: row.id, after: environmentAuditView(row) });
    }

    for (const [position, s] of registration.surfaces.entries()) {
      const row = {
        key: s.key ?? null,
        unit: s.unit ?? null,
        command: s.command ?? null,
        port: Number(new URL(s.healthUrl).port) || null,
        healthUrl: s.healthUrl,
        hostHeader: s.hostHeader ?? null,
        group: s.group,
        runbookPorts: s.runbookPorts,
        position,
      };
      await tx
        .insert(environmentSurfaces)
        .values({ environmentId, name: s.name, ...row })
        .onConflictDoUpdate({ target: [environmentSurfaces.environmentId, environmentSurfaces.name], set: row });
    }
    const names = registration.surfaces.map((s) => s.name);
    if (names.length) await tx.delete(environmentSurfaces).where(and(eq(environmentSurfaces.environmentId, environmentId), notInArray(environmentSurfaces.name, names)));

    if (registration.agent && agentSecret) {
      const { name } = registration.agent;
      const agent = { url: registration.agent.url, agentKey: registration.agent.agentId, secret: agentSecret };
      const [existing] = await tx.select().from(agents).where(and(eq(agents.environmentId, environmentId), eq(agents.name, name)));
      if (existing) {
        await tx.update(agents).set({ ...agent, updatedAt: new Date(), version: existing.version + 1 }).where(eq(agents.id, existing.id));
      } else {
        const [row] = await tx.insert(agents).values({ environmentId, name, ...agent, createdBy: actor.email }).returning();
        await writeAudit(tx, { actor, action: "environment.agent.add", targetType: "agent", targetId: row.id, after: { name: row.name, url: row.url, agentKey: row.agentKey } });
      }
    }
    await publish(tx, LIVE_CHANNEL, { type: "environment.updated", id: environmentId });
    return environmentId;
  });
}
