import "server-only";
import fs from "node:fs";
import path from "node:path";
import { and, eq, notInArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { agents, environments, environmentSurfaces } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";
import { SURFACES, type SurfaceId } from "@/refenv/surfaces";
import { LIVE_CHANNEL } from "./manage";
import { environmentAuditView } from "./queries";

// Registers the `reference` environment at console start from what the start script wrote into
// the data folder (refenv URLs, the fault-switch token, the local agent and its secret file), so
// a new user can run steps at once.

export const REFERENCE_NAME = "reference";
export const REFERENCE_FILE = "reference.json";

export const referenceConfigSchema = z.object({
  urls: z.record(z.string(), z.string().url()),
  adminToken: z.string().min(1).optional(),
  agent: z
    .object({ url: z.string().url(), agentId: z.string().min(1), secretFile: z.string().min(1) })
    .optional(),
  /** The process serving it (`sitrep refenv start` writes it; gone means the file is stale). */
  pid: z.number().int().positive().optional(),
  startedAt: z.string().optional(),
});
export type ReferenceConfig = z.infer<typeof referenceConfigSchema>;

function groupOf(id: SurfaceId): string {
  if (id === "control-api" || id === "runtime-api") return "APIs";
  if (id === "worker") return "workers";
  if (id.startsWith("slot-backend")) return "slot backends";
  return "web";
}

/** Creates or refreshes the reference environment, its surfaces and its local agent. */
export async function registerReference(db: Db, config: ReferenceConfig, agentSecret?: string): Promise<string> {
  const actor = systemActor();
  const control = config.urls["control-api"];
  const runtime = config.urls["runtime-api"];
  if (!control || !runtime) throw new Error("reference.json lacks the control-api or runtime-api URL");
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, REFERENCE_NAME));
    const values = {
      kind: "reference" as const,
      description: "The reference environment started with Sitrep (refenv) and its local host agent.",
      controlBaseUrl: control,
      runtimeBaseUrl: runtime,
      production: false,
      faultToken: config.adminToken ?? null,
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
      const [row] = await tx.insert(environments).values({ name: REFERENCE_NAME, ...values, createdBy: actor.email, updatedBy: actor.email }).returning();
      environmentId = row.id;
      await writeAudit(tx, { actor, action: "environment.create", targetType: "environment", targetId: row.id, after: environmentAuditView(row) });
    }

    const names: string[] = [];
    for (const [position, s] of SURFACES.entries()) {
      const url = config.urls[s.id];
      if (!url) continue;
      names.push(s.label);
      const port = Number(new URL(url).port) || null;
      const row = {
        unit: s.unit.endsWith(".service") ? s.unit : null,
        command: s.unit.endsWith(".service") ? null : s.unit,
        port,
        healthUrl: `${url}${s.healthPaths[0]}`,
        hostHeader: s.hostHeader ?? null,
        group: groupOf(s.id),
        position,
      };
      await tx
        .insert(environmentSurfaces)
        .values({ environmentId, name: s.label, ...row })
        .onConflictDoUpdate({ target: [environmentSurfaces.environmentId, environmentSurfaces.name], set: row });
    }
    if (names.length) await tx.delete(environmentSurfaces).where(and(eq(environmentSurfaces.environmentId, environmentId), notInArray(environmentSurfaces.name, names)));

    if (config.agent && agentSecret) {
      const agent = { url: config.agent.url, agentKey: config.agent.agentId, secret: agentSecret };
      const [existing] = await tx.select().from(agents).where(and(eq(agents.environmentId, environmentId), eq(agents.name, "local")));
      if (existing) {
        await tx.update(agents).set({ ...agent, updatedAt: new Date(), version: existing.version + 1 }).where(eq(agents.id, existing.id));
      } else {
        const [row] = await tx.insert(agents).values({ environmentId, name: "local", ...agent, createdBy: actor.email }).returning();
        await writeAudit(tx, { actor, action: "environment.agent.add", targetType: "agent", targetId: row.id, after: { name: row.name, url: row.url, agentKey: row.agentKey } });
      }
    }
    await publish(tx, LIVE_CHANNEL, { type: "environment.updated", id: environmentId });
    return environmentId;
  });
}

/** The registration `sitrep refenv start` keeps in the data folder, or null when there is none. */
export function readReferenceFile(dataDir = env.dataDir): ReferenceConfig | null {
  const file = path.join(dataDir, REFERENCE_FILE);
  if (!fs.existsSync(file)) return null;
  return referenceConfigSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

/** Start hook: registers the reference environment when the start script left its description. */
export async function registerReferenceFromDataDir(db: Db, dataDir = env.dataDir): Promise<string | null> {
  const config = readReferenceFile(dataDir);
  if (!config) return null;
  const secret = config.agent ? fs.readFileSync(path.resolve(dataDir, config.agent.secretFile), "utf8").trim() : undefined;
  const id = await registerReference(db, config, secret);
  log.info("environments.reference_registered", { environmentId: id, control: config.urls["control-api"], agent: config.agent?.url ?? null });
  return id;
}
