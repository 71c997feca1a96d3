import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAgent, type RunningAgent } from "@/agent/index";
import { writeTestAllowlist } from "@/agent/testing";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { env } from "@/lib/env";
import type { Db } from "@/db/client";
import { environments } from "@/db/schema";
import { registerReference } from "@/lib/environments/reference";
import { referenceRegistration, scriptEnv, startRefenv, type Refenv } from "@/refenv/index";

// A real reference environment and host agent on ephemeral ports for drill tests, registered as
// an environment of the test database. Not used at run time.

export const DRILL_AGENT_SECRET = "drill-test-secret-0123456789abcdef";

export { acquireSeedHostLock, withSeedHostLock, SEED_HOST_LOCK, type HostLock } from "./host-lock";

/** Databases whose names start with app_preview_ on the machine's PostgreSQL (what seed 000 §6 creates). */
export async function previewDatabases(): Promise<string[]> {
  const sql = postgres(env.SITREP_TEST_PG_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select datname from pg_database where datname like 'app\_preview\_%' order by datname`;
    return rows.map((r) => String(r.datname));
  } finally {
    await sql.end();
  }
}

/** A PATH folder with every program of /usr/bin except the named ones (a host lacking a tool). */
export function pathWithout(dir: string, missing: string[]): string {
  const bin = path.join(dir, "bin-without");
  fs.mkdirSync(bin, { recursive: true });
  for (const name of fs.readdirSync("/usr/bin")) {
    if (missing.includes(name)) continue;
    try {
      fs.symlinkSync(path.join("/usr/bin", name), path.join(bin, name));
    } catch {
      // already linked
    }
  }
  return bin;
}

export type DrillStack = { refenv: Refenv; agent: RunningAgent; environmentId: string; stateDir: string; stop(): Promise<void> };

export async function startDrillStack(db: Db, options: { name: string; patch?: (json: any) => void }): Promise<DrillStack> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `sitrep-drills-${options.name}-`));
  const refenv = await startRefenv({ basePort: 0, adminToken: "drill-admin", stateDir, tickMs: 100 });
  // The shipped allowlist (only its working directory pointed at refenv/host), changed by `patch`.
  const allowlistFile = writeTestAllowlist(stateDir, (json) => options.patch?.(json));
  const agent = await startAgent({ agentId: `drill-${options.name}`, secret: DRILL_AGENT_SECRET, allowlistFile, env: scriptEnv(refenv) });
  const environmentId = await registerReference(db, referenceRegistration(refenv, { faultToken: refenv.adminToken, agent: { url: agent.url, agentId: `drill-${options.name}`, secretFile: "unused" } }), DRILL_AGENT_SECRET);
  // registerReference always writes "reference"; rename so several stacks can live in one database.
  await db.update(environments).set({ name: options.name }).where(eq(environments.id, environmentId));
  return {
    refenv,
    agent,
    environmentId,
    stateDir,
    async stop() {
      await agent.stop();
      await refenv.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
