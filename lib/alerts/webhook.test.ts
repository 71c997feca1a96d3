import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertSources, alerts, auditEntries } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { ForbiddenError } from "@/lib/errors";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { createSource, listInbox, receiveWebhook, revokeSource, rotateSourceSecret, signBody } from "./index";
import { alertmanagerPayload, grafanaPayload } from "./testing/payloads";

let database: TestDatabase;
let admin: Actor;
let commander: Actor;

beforeAll(async () => {
  database = await createTestDb();
  admin = (await makeUser(database.db, { role: "admin" })).actor;
  commander = (await makeUser(database.db, { role: "commander" })).actor;
});
afterAll(async () => database.cleanup());

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json" });
const post = (sourceId: string, headers: Headers, body: unknown) => receiveWebhook(database.db, { sourceId, headers, rawBody: typeof body === "string" ? body : JSON.stringify(body) });
const rowsOf = (sourceId: string) => database.db.select().from(alerts).where(eq(alerts.sourceId, sourceId));

describe("Alertmanager v4 webhook", () => {
  let id: string;
  let token: string;
  beforeAll(async () => {
    const made = await createSource({ actor: admin, db: database.db }, { name: "prod alertmanager", kind: "alertmanager", authMode: "bearer" });
    id = made.source.id;
    token = made.secret;
  });

  it("only admins add sources; the secret is shown once and stored as a hash", async () => {
    await expect(createSource({ actor: commander, db: database.db }, { name: "x", kind: "alertmanager", authMode: "bearer" })).rejects.toBeInstanceOf(ForbiddenError);
    const [row] = await database.db.select().from(alertSources).where(eq(alertSources.id, id));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    const [audit] = await database.db.select().from(auditEntries).where(and(eq(auditEntries.action, "alert.source.create"), eq(auditEntries.targetId, id)));
    expect(audit.actorEmail).toBe(admin.email);
  });

  it("firing, grouped: one group of two alerts, Alertmanager's group kept", async () => {
    const body = alertmanagerPayload(
      [
        { labels: { alertname: "QueueStalled", severity: "critical", instance: "a" }, annotations: { summary: "Queue stalled on a" } },
        { labels: { alertname: "QueueStalled", severity: "critical", instance: "b" }, annotations: { summary: "Queue stalled on b" } },
      ],
      { alertname: "QueueStalled" },
    );
    const answer = await post(id, bearer(token), body);
    expect(answer).toMatchObject({ status: 200, body: { received: 2, opened: 2, repeated: 0 } });
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.groupKey)).size).toBe(1);
    expect(rows[0].groupLabels).toEqual({ alertname: "QueueStalled" });
    expect(rows.every((r) => r.severity === "critical" && r.status === "firing")).toBe(true);
    const inbox = await listInbox(database.db);
    const group = inbox.groups.find((g) => g.key === rows[0].groupKey)!;
    expect(group).toMatchObject({ status: "firing", firing: 2, severity: "critical" });
    expect(group.alerts[0].routing.suggestedSeverity).toBe("SEV1");
  });

  it("repeated notifications deduplicate by fingerprint", async () => {
    const body = alertmanagerPayload([{ labels: { alertname: "QueueStalled", severity: "critical", instance: "a" } }], { alertname: "QueueStalled" });
    for (let i = 0; i < 3; i++) expect((await post(id, bearer(token), body)).body).toMatchObject({ opened: 0, repeated: 1 });
    const rows = (await rowsOf(id)).filter((r) => r.labels.instance === "a");
    expect(rows).toHaveLength(1);
    expect(rows[0].receivedCount).toBe(4);
  });

  it("resolved closes the episode; a later firing opens a new one; a late repeat of the old one is ignored", async () => {
    const resolved = alertmanagerPayload([{ status: "resolved", labels: { alertname: "QueueStalled", severity: "critical", instance: "a" }, endsAt: "2026-01-01T00:10:00Z" }], { alertname: "QueueStalled" });
    expect((await post(id, bearer(token), resolved)).body).toMatchObject({ resolved: 1 });
    let rows = (await rowsOf(id)).filter((r) => r.labels.instance === "a");
    expect(rows.map((r) => r.status)).toEqual(["resolved"]);
    expect(rows[0].endsAt?.toISOString()).toBe("2026-01-01T00:10:00.000Z");
    const lateRepeat = alertmanagerPayload([{ labels: { alertname: "QueueStalled", severity: "critical", instance: "a" } }], { alertname: "QueueStalled" });
    expect((await post(id, bearer(token), lateRepeat)).body).toMatchObject({ opened: 0, ignored: 1 });
    const again = alertmanagerPayload([{ labels: { alertname: "QueueStalled", severity: "critical", instance: "a" }, startsAt: "2026-01-01T01:00:00Z" }], { alertname: "QueueStalled" });
    expect((await post(id, bearer(token), again)).body).toMatchObject({ opened: 1 });
    rows = (await rowsOf(id)).filter((r) => r.labels.instance === "a");
    expect(rows.map((r) => r.status).sort()).toEqual(["firing", "resolved"]);
  });

  it("wrong, missing, rotated-away and revoked secrets get 401 and store nothing", async () => {
    const body = alertmanagerPayload([{ labels: { alertname: "Nope", instance: "z" } }]);
    const before = (await rowsOf(id)).length;
    expect((await post(id, bearer("sas_wrong"), body)).status).toBe(401);
    expect((await post(id, new Headers({ "content-type": "application/json" }), body)).status).toBe(401);
    expect((await post("00000000-0000-4000-8000-000000000000", bearer(token), body)).status).toBe(401);
    expect((await post("not-a-uuid", bearer(token), body)).status).toBe(401);
    const [row] = await database.db.select().from(alertSources).where(eq(alertSources.id, id));
    const rotated = await rotateSourceSecret({ actor: admin, db: database.db }, { id, version: row.version });
    expect((await post(id, bearer(token), body)).status).toBe(401);
    expect((await post(id, bearer(rotated.secret), body)).status).toBe(200);
    await revokeSource({ actor: admin, db: database.db }, { id, version: rotated.source.version });
    expect((await post(id, bearer(rotated.secret), body)).status).toBe(401);
    expect((await rowsOf(id)).length).toBe(before + 1);
    token = (await rotateSourceSecret({ actor: admin, db: database.db }, { id, version: rotated.source.version + 1 })).secret;
  });

  it("malformed payloads get 400 with the reason, are counted on the source, and nothing of them is stored", async () => {
    const before = (await rowsOf(id)).length;
    const [{ rejectedCount: rejectedBefore }] = await database.db.select().from(alertSources).where(eq(alertSources.id, id));
    const notJson = await post(id, bearer(token), "{ this is not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.reason).toMatch(/^body: not valid JSON/);
    const wrongVersion = await post(id, bearer(token), { ...alertmanagerPayload([{ labels: { alertname: "X" } }]), version: "3" });
    expect(wrongVersion.body.reason).toMatch(/^version: only Alertmanager webhook payload version "4"/);
    // The second alert is bad: the first must not be stored either.
    const half = alertmanagerPayload([{ labels: { alertname: "Good", instance: "1" } }, { labels: { alertname: "Bad" }, startsAt: "yesterday" }]);
    const answer = await post(id, bearer(token), half);
    expect(answer).toMatchObject({ status: 400, body: { reason: "alerts.1.startsAt: not a date (yesterday)" } });
    const noName = await post(id, bearer(token), alertmanagerPayload([{ labels: { instance: "x" } }]));
    expect(noName.body.reason).toBe("alerts.0.labels: alertname is missing");
    const wrongType = await post(id, new Headers({ authorization: `Bearer ${token}`, "content-type": "text/plain" }), alertmanagerPayload([{ labels: { alertname: "X" } }]));
    expect(wrongType.status).toBe(415);
    expect((await rowsOf(id)).length).toBe(before);
    const [after] = await database.db.select().from(alertSources).where(eq(alertSources.id, id));
    expect(after.rejectedCount - rejectedBefore).toBe(4);
    expect(after.lastError).toBe("alerts.0.labels: alertname is missing");
  });
});

describe("Grafana webhook (HMAC-signed)", () => {
  it("takes Grafana's payload with a valid signature, refuses a bad or stale one", async () => {
    const { source, secret } = await createSource({ actor: admin, db: database.db }, { name: "grafana", kind: "grafana", authMode: "hmac" });
    const body = JSON.stringify(grafanaPayload([{ labels: { alertname: "HighLatency", severity: "warning", service: "api" }, annotations: { summary: "p95 over 800 ms", runbook_url: "https://git.example/runbooks/high-latency.md#diagnosis" } }]));
    const headers = (signature: string, ts?: number) => new Headers({ "content-type": "application/json", "x-sitrep-signature": signature, ...(ts ? { "x-sitrep-timestamp": String(ts) } : {}) });
    expect((await post(source.id, headers(signBody(secret, body + " ")), body)).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 3_600;
    expect((await post(source.id, headers(signBody(secret, body, stale), stale), body)).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await post(source.id, headers(signBody(secret, body, now), now), body)).status).toBe(200);
    expect((await post(source.id, headers(signBody(secret, body)), body)).body).toMatchObject({ repeated: 1 });
    const [row] = await rowsOf(source.id);
    expect(row).toMatchObject({ name: "HighLatency", title: "p95 over 800 ms", severity: "warning", runbookUrl: "https://git.example/runbooks/high-latency.md#diagnosis", generatorUrl: "http://grafana.test:3000/alerting/grafana/abc/view" });
    expect(row.annotations.value).toContain("812.5");
    const resolved = JSON.stringify(grafanaPayload([{ status: "resolved", labels: { alertname: "HighLatency", severity: "warning", service: "api" }, endsAt: "2026-01-01T00:05:00Z" }]));
    expect((await post(source.id, headers(signBody(secret, resolved)), resolved)).body).toMatchObject({ resolved: 1 });
  });
});

describe("generic JSON webhook with a field mapping", () => {
  it("maps title, severity, labels, fingerprint, status and runbook URL; a missing mapped field is a 400", async () => {
    const mapping = { alerts: "data.items", title: "headline", severity: "level", labels: "tags", fingerprint: "key", status: "state", runbookUrl: "links.runbook" };
    const { source, secret } = await createSource({ actor: admin, db: database.db }, { name: "uptime checker", kind: "generic", authMode: "bearer", mapping: JSON.stringify(mapping) });
    const item = (state: string) => ({ headline: "Checkout down", level: "P1", tags: { service: "checkout", region: "eu" }, key: "chk-1", state, links: { runbook: "/runbooks/checkout-down" } });
    expect((await post(source.id, bearer(secret), { data: { items: [item("alerting")] } })).body).toMatchObject({ opened: 1 });
    expect((await post(source.id, bearer(secret), { data: { items: [item("alerting")] } })).body).toMatchObject({ repeated: 1 });
    const [row] = await rowsOf(source.id);
    expect(row).toMatchObject({ fingerprint: "chk-1", title: "Checkout down", severity: "critical", runbookUrl: "/runbooks/checkout-down", status: "firing" });
    expect(row.labels).toMatchObject({ service: "checkout", region: "eu", severity: "P1" });
    expect((await post(source.id, bearer(secret), { data: { items: [item("OK")] } })).body).toMatchObject({ resolved: 1 });
    const bad = await post(source.id, bearer(secret), { data: { items: [{ level: "P2" }] } });
    expect(bad).toMatchObject({ status: 400, body: { reason: "data.items.0.headline: the mapped title is missing" } });
    const notList = await post(source.id, bearer(secret), { data: { items: "nope" } });
    expect(notList.body.reason).toBe("data.items: expected a list of alerts");
  });

  it("refuses a generic source without a title mapping", async () => {
    await expect(createSource({ actor: admin, db: database.db }, { name: "no mapping", kind: "generic", authMode: "bearer" })).rejects.toMatchObject({ fieldErrors: { mapping: [expect.stringMatching(/field mapping/)] } });
  });
});
