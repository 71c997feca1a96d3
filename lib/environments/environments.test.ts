import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, environmentSurfaces, surfaceHealthChanges } from "@/db/schema";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import type { Actor } from "@/lib/actor";
import { referenceRegistration, startRefenv, type Refenv } from "@/refenv";
import {
  addAgent,
  addSurface,
  createEnvironment,
  getEnvironmentDetail,
  getFaults,
  listEnvironments,
  pollEnvironmentHealth,
  registerReferenceFromDataDir,
  removeEnvironment,
  setFault,
  updateEnvironment,
} from "./index";

let database: TestDatabase;
let refenv: Refenv;
let dataDir: string;
let admin: Actor;
let responder: Actor;
let viewer: Actor;

beforeAll(async () => {
  database = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-env-test-"));
  refenv = await startRefenv({ basePort: 0, stateDir: path.join(dataDir, "refenv"), adminToken: "fault-token-for-tests" });
  admin = (await makeUser(database.db, { role: "admin" })).actor;
  responder = (await makeUser(database.db, { role: "responder" })).actor;
  viewer = (await makeUser(database.db, { role: "viewer" })).actor;
});
afterAll(async () => {
  await refenv.stop();
  await database.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ctx = (actor: Actor) => ({ actor, db: database.db });
const auditFor = (action: string, targetId: string) =>
  database.db.select().from(auditEntries).where(and(eq(auditEntries.action, action), eq(auditEntries.targetId, targetId)));

describe("managing environments", () => {
  it("lets an admin create one, keeps its tokens server-side and audits it", async () => {
    const env = await createEnvironment(ctx(admin), {
      name: "staging",
      kind: "staging",
      controlBaseUrl: "http://127.0.0.1:18000/",
      runtimeBaseUrl: "http://127.0.0.1:18080",
      runtimeToken: "operator-secret",
    });
    expect(env.controlBaseUrl).toBe("http://127.0.0.1:18000");
    expect(env.production).toBe(false);
    expect(env.hasRuntimeToken).toBe(true);
    expect(JSON.stringify(env)).not.toContain("operator-secret");
    const [entry] = await auditFor("environment.create", env.id);
    expect(entry.actorEmail).toBe(admin.email);
    expect(JSON.stringify(entry.after)).not.toContain("operator-secret");
  });

  it("accepts input already parsed by a server action (empty optional fields become null)", async () => {
    const env = await createEnvironment(ctx(admin), { name: "drill-a", kind: "drill", controlBaseUrl: "http://a.test", runtimeBaseUrl: "http://b.test", runtimeToken: null, faultToken: null, production: false });
    expect(env.hasRuntimeToken).toBe(false);
    const updated = await updateEnvironment(ctx(admin), { id: env.id, version: env.version, production: ["false", "on"], confirmProduction: ["false"] });
    expect(updated.production).toBe(true);
    await removeEnvironment(ctx(admin), { id: env.id, confirmProduction: true });
  });

  it("refuses responders and viewers", async () => {
    for (const actor of [responder, viewer]) {
      await expect(
        createEnvironment(ctx(actor), { name: `x-${actor.role}`, kind: "drill", controlBaseUrl: "http://a.test", runtimeBaseUrl: "http://b.test" }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    // Everyone may read them.
    expect((await listEnvironments(ctx(viewer))).map((e) => e.name)).toContain("staging");
  });

  it("asks for confirmation before any change to a production environment", async () => {
    const prod = await createEnvironment(ctx(admin), { name: "production", kind: "production", controlBaseUrl: "http://p.test", runtimeBaseUrl: "http://q.test" });
    expect(prod.production).toBe(true);
    await expect(updateEnvironment(ctx(admin), { id: prod.id, version: prod.version, description: "x" })).rejects.toBeInstanceOf(ValidationError);
    await expect(addSurface(ctx(admin), { environmentId: prod.id, name: "API", healthUrl: "http://p.test/health" })).rejects.toThrow(/production/);
    const updated = await updateEnvironment(ctx(admin), { id: prod.id, version: prod.version, description: "the real one", confirmProduction: true });
    expect(updated.description).toBe("the real one");
    await expect(removeEnvironment(ctx(admin), { id: prod.id })).rejects.toThrow(/confirm/);
    await removeEnvironment(ctx(admin), { id: prod.id, confirmProduction: true });
    expect(await auditFor("environment.remove", prod.id)).toHaveLength(1);
  });

  it("stores an agent's secret without ever returning it", async () => {
    const env = (await listEnvironments(ctx(admin))).find((e) => e.name === "staging")!;
    const agent = await addAgent(ctx(admin), { environmentId: env.id, name: "host-1", url: "http://127.0.0.1:7411", agentKey: "host-1", secret: "a-very-secret-value-123" });
    expect(agent).not.toHaveProperty("secret");
    const detail = await getEnvironmentDetail(ctx(viewer), "staging");
    expect(JSON.stringify(detail)).not.toContain("a-very-secret-value-123");
    const [entry] = await auditFor("environment.agent.add", agent.id);
    expect(JSON.stringify(entry.after)).not.toContain("a-very-secret-value-123");
  });
});

describe("the reference environment", () => {
  let environmentId: string;

  it("is registered from the data folder with every surface and the local agent", async () => {
    fs.writeFileSync(path.join(dataDir, "agent-secret"), "reference-secret-0123456789\n");
    fs.writeFileSync(
      path.join(dataDir, "reference.json"),
      JSON.stringify(referenceRegistration(refenv, { faultToken: refenv.adminToken, agent: { url: "http://127.0.0.1:7410", agentId: "reference-host", secretFile: "agent-secret" } })),
    );
    environmentId = (await registerReferenceFromDataDir(database.db, dataDir))!;
    // A second start refreshes, it does not duplicate.
    expect(await registerReferenceFromDataDir(database.db, dataDir)).toBe(environmentId);
    const detail = await getEnvironmentDetail(ctx(viewer), "reference");
    expect(detail.surfaces).toHaveLength(refenv.surfaces.length);
    expect(detail.surfaces.find((s) => s.name === "Caddy")?.hostHeader).toBe("app.example.com");
    expect(detail.agents.map((a) => a.name)).toEqual(["local"]);
    expect(detail.environment.hasFaultSwitches).toBe(true);
  });

  it("shows a surface going down on the next poll, and records the change once", async () => {
    await pollEnvironmentHealth(database.db, environmentId);
    const up = await database.db.select().from(environmentSurfaces).where(eq(environmentSurfaces.environmentId, environmentId));
    expect(up.every((s) => s.state === "up")).toBe(true);
    expect(up.every((s) => typeof s.lastLatencyMs === "number")).toBe(true);

    await setFault(ctx(admin), { environmentId, fault: "failing_health", surface: "worker", on: true });
    const result = await pollEnvironmentHealth(database.db, environmentId);
    expect(result.changed).toBe(1);
    const [worker] = await database.db
      .select()
      .from(environmentSurfaces)
      .where(and(eq(environmentSurfaces.environmentId, environmentId), eq(environmentSurfaces.name, "Worker")));
    expect(worker).toMatchObject({ state: "down", lastStatus: 503 });
    expect(worker.lastChangeAt).not.toBeNull();
    const changes = await database.db.select().from(surfaceHealthChanges).where(eq(surfaceHealthChanges.surfaceId, worker.id));
    expect(changes.filter((c) => c.to === "down")).toHaveLength(1);
    // Unchanged on the next poll: no new history row.
    expect((await pollEnvironmentHealth(database.db, environmentId)).changed).toBe(0);
  });

  it("lets only admins flip fault switches, each flip audited", async () => {
    await expect(setFault(ctx(responder), { environmentId, fault: "slot_leak", on: true })).rejects.toBeInstanceOf(ForbiddenError);
    const after = await setFault(ctx(admin), { environmentId, fault: "clear" });
    expect(after.failing_health).toEqual([]);
    expect((await getFaults(ctx(admin), environmentId)).slot_leak).toBe(false);
    const entries = await auditFor("environment.fault.set", environmentId);
    expect(entries.length).toBeGreaterThanOrEqual(2);
  });
});
