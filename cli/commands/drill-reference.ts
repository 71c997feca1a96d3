import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/db/client";
import { env } from "@/lib/env";
import { DatabaseLockedError } from "@/lib/errors";
import { eq } from "drizzle-orm";
import { agents, environments } from "@/db/schema";
import { readReferenceFile, REFERENCE_NAME, registerReference, registerReferenceFromDataDir } from "@/lib/environments/reference";
import { referenceRegistration } from "@/refenv/registration";
import { startReferenceStack } from "@/refenv/stack";
import type { Db } from "@/db/client";

// What `sitrep drill run … --env reference` needs without a console: a database and a reference
// environment with its host agent.
//
// - Database: the configured one (DATABASE_URL, or the data folder's embedded one). When a running
//   console holds the embedded database (PGlite serves one process), the drill runs in an
//   ephemeral embedded database of its own instead; the report is printed (and --json), and the
//   console's drill history does not get it. With DATABASE_URL both share PostgreSQL.
// - Reference environment: the registered one when it answers (`sitrep refenv start
//   --with-agent` or `npm start` wrote reference.json into the data folder), else one started
//   here on free ports with its own agent secret and sandbox, stopped when the drill ends.

export type DrillDatabase = { database: Database; note: string | null; close(): Promise<void> };

export async function openDrillDatabase(): Promise<DrillDatabase> {
  try {
    const database = await openDatabase({ url: env.DATABASE_URL, dataDir: path.join(env.dataDir, "pglite") });
    return { database, note: null, close: () => database.close() };
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-drill-db-"));
    const database = await openDatabase({ dataDir: path.join(dir, "pglite") });
    return {
      database,
      note: `The embedded database in ${env.dataDir} is held by a running console, so this drill ran in an ephemeral database (its report is printed here, not kept in the console). Use DATABASE_URL to share one PostgreSQL.`,
      close: async () => {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export type CliReference = { environmentId: string; started: boolean; stop(): Promise<void> };

/** The running reference environment when it answers, else an ephemeral one on free ports. */
export async function referenceForDrill(db: Db): Promise<CliReference> {
  // Already registered in this database and answering (a console started it): use it as it is.
  const [current] = await db.select().from(environments).where(eq(environments.name, REFERENCE_NAME));
  if (current) {
    const [agent] = await db.select().from(agents).where(eq(agents.environmentId, current.id));
    if (agent && (await answers(`${current.controlBaseUrl}/health`)) && (await answers(`${agent.url}/v1/health`))) return { environmentId: current.id, started: false, stop: async () => undefined };
  }
  const registered = readReferenceFile(env.dataDir);
  if (registered?.agent && (await answers(`${registered.controlBaseUrl}/health`)) && (await answers(`${registered.agent.url}/v1/health`))) {
    const environmentId = await registerReferenceFromDataDir(db);
    if (environmentId) return { environmentId, started: false, stop: async () => undefined };
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-drill-refenv-"));
  const secret = crypto.randomBytes(32).toString("base64url");
  const adminToken = crypto.randomBytes(24).toString("hex");
  const quiet = () => undefined;
  const stack = await startReferenceStack({ basePort: 0, stateDir, adminToken, agent: { secret, agentId: "reference-host", port: 0, log: quiet } });
  try {
    const environmentId = await registerReference(db, referenceRegistration(stack.refenv, { faultToken: adminToken, agent: { url: stack.agent.url, agentId: "reference-host", secretFile: "ephemeral" } }), secret);
    return {
      environmentId,
      started: true,
      async stop() {
        await stack.stop();
        fs.rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
}
