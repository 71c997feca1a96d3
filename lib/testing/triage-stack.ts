// Test-only: what the triage areas' tests (evidence, freeze, recovery) all start from — a fresh
// database, a real reference environment on ephemeral ports registered as an environment, the
// four roles and one open incident. Not re-exported from ./index (it starts the refenv).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Actor } from "@/lib/actor";
import { createEnvironment } from "@/lib/environments";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { startRefenv, type Refenv, type RefenvOptions } from "@/refenv";
import { makeUser } from "./fixtures";
import { createTestDb, type TestDatabase } from "./test-db";

export type TriageStack = {
  database: TestDatabase;
  refenv: Refenv;
  /** A scratch folder (the refenv keeps its state in `refenv/` below it). */
  dir: string;
  admin: Actor;
  commander: Actor;
  responder: Actor;
  viewer: Actor;
  environmentId: string;
  incidentId: string;
  stop: () => Promise<void>;
};

export async function startTriageStack(name: string, refenvOptions: RefenvOptions = {}): Promise<TriageStack> {
  const database = await createTestDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sitrep-${name}-`));
  const refenv = await startRefenv({ basePort: 0, stateDir: path.join(dir, "refenv"), adminToken: "t", ...refenvOptions });
  const [admin, commander, responder, viewer] = await Promise.all(
    (["admin", "commander", "responder", "viewer"] as const).map(async (role) => (await makeUser(database.db, { role })).actor),
  );
  const environment = await createEnvironment(
    { actor: admin, db: database.db },
    { name: "ref", kind: "reference", controlBaseUrl: refenv.urls["control-api"], runtimeBaseUrl: refenv.urls["runtime-api"] },
  );
  const incident = await makeIncident(database.db, commander);
  return {
    database,
    refenv,
    dir,
    admin,
    commander,
    responder,
    viewer,
    environmentId: environment.id,
    incidentId: incident.id,
    stop: async () => {
      await refenv.stop();
      await database.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
