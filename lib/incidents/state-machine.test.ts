import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { ValidationError } from "@/lib/errors";
import type { IncidentStatus } from "@/db/schema/incidents";
import { changeStatus, closeWithOverride, ensureIncidentDefaults, getIncidentDetail, type IncidentView } from "./index";
import { STATUS_ORDER, allowedTargets, checkTransition } from "./state-machine";
import { completeChecklist, makeIncident } from "./test-fixtures";

// Every allowed transition, run through the real lib path on a real database, plus a sample of
// refused ones. Run on both drivers (SITREP_TEST_DRIVER=pglite|postgres).
let db: TestDatabase;
let commander: Awaited<ReturnType<typeof makeUser>>;
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  db = await createTestDb();
  await ensureIncidentDefaults(db.db);
  commander = await makeUser(db.db, { role: "commander" });
  admin = await makeUser(db.db, { role: "admin" });
});
afterAll(async () => {
  await db?.cleanup();
});

const allowed = STATUS_ORDER.flatMap((from) => allowedTargets(from).map((t) => ({ from, ...t })));

/** Brings a fresh incident to `status` along forward moves (closing through a complete checklist). */
async function incidentAt(status: IncidentStatus): Promise<IncidentView> {
  let incident = await makeIncident(db.db, commander.actor);
  const ctx = { actor: commander.actor, db: db.db };
  if (status === "triage") return incident;
  const target = status === "closed" ? "resolved" : status;
  incident = await changeStatus(ctx, { incidentId: incident.id, version: incident.version, to: target });
  if (status === "closed") {
    await completeChecklist(db.db, incident.id, "post_incident");
    incident = await changeStatus(ctx, { incidentId: incident.id, version: incident.version, to: "closed" });
  }
  return incident;
}

describe("the transition table", () => {
  it("has the expected shape", () => {
    expect(allowed).toHaveLength(36);
    expect(checkTransition("triage", "closed").allowed).toBe(false);
    expect(checkTransition("closed", "resolved").allowed).toBe(false);
    expect(checkTransition("resolved", "closed")).toEqual({ allowed: true, backwards: false });
    expect(checkTransition("closed", "investigating")).toEqual({ allowed: true, backwards: true });
  });
});

describe("every allowed transition succeeds on the server", () => {
  it.each(allowed)("$from → $to", async ({ from, to, backwards }) => {
    const incident = await incidentAt(from);
    const ctx = { actor: commander.actor, db: db.db };
    if (to === "closed") await completeChecklist(db.db, incident.id, "post_incident");
    if (backwards) {
      await expect(changeStatus(ctx, { incidentId: incident.id, version: incident.version, to })).rejects.toBeInstanceOf(ValidationError);
    }
    const moved = await changeStatus(ctx, { incidentId: incident.id, version: incident.version, to, reason: backwards ? "Reopened: symptoms came back" : "" });
    expect(moved.status).toBe(to);
    expect(moved.version).toBe(incident.version + 1);
    const last = (await getIncidentDetail(ctx, incident.id)).timeline.filter((e) => e.kind === "status.changed").at(-1);
    expect(last?.payload).toMatchObject({ from, to, backwards });
  });
});

const refused: [IncidentStatus, IncidentStatus][] = [
  ["triage", "closed"],
  ["investigating", "closed"],
  ["monitoring", "closed"],
  ["closed", "resolved"],
  ["triage", "triage"],
  ["resolved", "resolved"],
  ["closed", "closed"],
];

describe("a sample of refused transitions", () => {
  it.each(refused)("%s → %s", async (from, to) => {
    const incident = await incidentAt(from);
    const ctx = { actor: admin.actor, db: db.db };
    const error = await changeStatus(ctx, { incidentId: incident.id, version: incident.version, to, reason: "testing a refusal" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const detail = await getIncidentDetail(ctx, incident.id);
    expect(detail.incident.status).toBe(from);
    expect(detail.incident.version).toBe(incident.version);
  });
  it("the admin override cannot close an unresolved incident either", async () => {
    const incident = await incidentAt("monitoring");
    await expect(
      closeWithOverride({ actor: admin.actor, db: db.db }, { incidentId: incident.id, version: incident.version, reason: "skip everything please" }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
