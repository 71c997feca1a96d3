import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, evidenceArtifacts, timelineEvents } from "@/db/schema";
import { makeUser, type TestDatabase } from "@/lib/testing";
import { startTriageStack, type TriageStack } from "@/lib/testing/triage-stack";
import { createEnvironment } from "@/lib/environments";
import { ForbiddenError } from "@/lib/errors";
import type { Actor } from "@/lib/actor";
import type { Refenv } from "@/refenv";
import { buildBundle, captureEvidence, untar, verifyEvidence, type Manifest } from "./index";

let database: TestDatabase;
let refenv: Refenv;
let dir: string;
let commander: Actor;
let responder: Actor;
let viewer: Actor;
let environmentId: string;
let incidentId: string;

let stack: TriageStack;
beforeAll(async () => {
  stack = await startTriageStack("evidence", { tickMs: 50 });
  ({ database, refenv, dir, commander, responder, viewer, environmentId, incidentId } = stack);
});
afterAll(async () => {
  await stack?.stop();
});

describe("evidence", () => {
  it("captures the five sources with hashes, on the timeline and audited; refuses a viewer", async () => {
    await expect(captureEvidence({ actor: viewer, db: database.db }, { incidentId, environmentId })).rejects.toBeInstanceOf(ForbiddenError);
    const result = await captureEvidence({ actor: responder, db: database.db }, { incidentId, environmentId });
    expect(result.missing).toEqual([]);
    expect(result.artifacts.map((a) => a.kind).sort()).toEqual(["audit_logs", "dlq", "health", "jobs", "metrics"]);
    for (const a of result.artifacts) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const events = await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "evidence.captured")));
    expect(events).toHaveLength(1);
    const audit = await database.db.select().from(auditEntries).where(and(eq(auditEntries.action, "evidence.capture"), eq(auditEntries.targetId, incidentId)));
    expect(audit[0].actorEmail).toBe(responder.email);
  });

  it("bundles with a manifest whose hashes match the files (checked by sha256sum), then reports one altered byte", async () => {
    const bundle = await buildBundle({ actor: viewer, db: database.db }, incidentId);
    const files = untar(bundle.bytes);
    const manifest = JSON.parse(files.find((f) => f.name === "manifest.json")!.content.toString()) as Manifest;
    expect(manifest.artifacts).toHaveLength(5);
    const out = path.join(dir, "bundle");
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, "b.tar"), bundle.bytes);
    execFileSync("tar", ["-xf", "b.tar"], { cwd: out });
    execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: out });
    expect((await verifyEvidence({ actor: viewer, db: database.db }, incidentId)).ok).toBe(true);

    const metrics = manifest.artifacts.find((a) => a.kind === "metrics")!;
    // Flip the first byte of the stored metrics snapshot.
    await database.db.execute(sql`update evidence_artifacts set content = set_byte(content, 0, (get_byte(content, 0) + 1) % 256) where id = ${metrics.artifactId}`);
    const report = await verifyEvidence({ actor: viewer, db: database.db }, incidentId);
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ artifactId: metrics.artifactId, kind: "metrics", expected: metrics.sha256 });
    expect(report.problems[0].actual).not.toBe(metrics.sha256);
    const audit = await database.db.select().from(auditEntries).where(and(eq(auditEntries.action, "evidence.download"), eq(auditEntries.targetId, incidentId)));
    expect(audit).toHaveLength(1);
  });

  it("with the runtime API down, capture is partial and names what is missing", async () => {
    const admin = (await makeUser(database.db, { role: "admin" })).actor;
    const gone = await createEnvironment({ actor: admin, db: database.db }, { name: "gone", kind: "drill", controlBaseUrl: "http://127.0.0.1:9", runtimeBaseUrl: refenv.urls["runtime-api"] });
    await refenv.stop();
    const result = await captureEvidence({ actor: commander, db: database.db }, { incidentId, environmentId: gone.id });
    expect(result.missing.map((m) => m.kind).sort()).toEqual(["audit_logs", "dlq", "health", "jobs", "metrics"]);
    expect(result.missing[0].error).toMatch(/runtime API/);
    const [event] = await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "evidence.captured"))).orderBy(sql`seq desc`).limit(1);
    expect(event.body).toMatch(/partial/);
    expect(event.body).toMatch(/missing .*metrics/);
    const rows = await database.db.select().from(evidenceArtifacts).where(eq(evidenceArtifacts.captureId, result.captureId));
    expect(rows.every((r) => r.error && !r.content)).toBe(true);
    const bundle = await buildBundle({ actor: viewer, db: database.db }, incidentId);
    const manifest = JSON.parse(untar(bundle.bytes).find((f) => f.name === "manifest.json")!.content.toString()) as Manifest;
    expect(manifest.missing.map((m) => m.kind)).toContain("dlq");
  });
});
