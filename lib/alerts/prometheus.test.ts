// Real Prometheus and Alertmanager (Debian's packages; CI installs them) with the rules and
// configs shipped in refenv/prometheus/, scraping a real reference environment, sending to the
// webhook intake. The webhook is served by a plain HTTP server calling the same lib function
// the console's route handler calls (app/api/alerts/webhook/[sourceId]/route.ts).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/actor";
import { createEnvironment } from "@/lib/environments";
import { importRunbooks } from "@/lib/runbooks";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { startRefenv, type Refenv } from "@/refenv";
import { createSource, expireSilence, listInbox, receiveWebhook, silenceAlert, updateSource, type AlertGroupView } from "./index";
import { startPrometheusStack, type PrometheusStack } from "./testing/prometheus-stack";

let database: TestDatabase;
let refenv: Refenv;
let stack: PrometheusStack;
let server: http.Server;
let dir: string;
let admin: Actor;
let responder: Actor;

beforeAll(async () => {
  database = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-prometheus-"));
  refenv = await startRefenv({ basePort: 0, stateDir: path.join(dir, "refenv"), adminToken: "t", tickMs: 100 });
  admin = (await makeUser(database.db, { role: "admin" })).actor;
  responder = (await makeUser(database.db, { role: "responder" })).actor;
  await createEnvironment({ actor: admin, db: database.db }, { name: "ref", kind: "reference", controlBaseUrl: refenv.urls["control-api"], runtimeBaseUrl: refenv.urls["runtime-api"] });
  const seeds = path.resolve(process.cwd(), "../shared/seeds");
  const seed = fs.readdirSync(seeds).find((f) => f.startsWith("002"))!;
  await importRunbooks({ actor: admin, db: database.db }, [{ name: seed, bytes: new Uint8Array(fs.readFileSync(path.join(seeds, seed))) }]);
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const sourceId = (req.url ?? "").split("/").pop() ?? "";
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
      const answer = await receiveWebhook(database.db, { sourceId, headers, rawBody: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => server?.close(r));
  await refenv?.stop();
  await database?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function waitFor(find: () => Promise<AlertGroupView | undefined>, timeoutMs: number): Promise<AlertGroupView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("Prometheus and Alertmanager with the shipped rules", () => {
  it("the stalled queue fires QueueDepthRisingNoDispatch into the inbox with seed 002's playbook; a silence reaches Alertmanager; switching it off resolves it", async () => {
    const { source, secret } = await createSource({ actor: admin, db: database.db }, { name: "reference alertmanager", kind: "alertmanager", authMode: "bearer" });
    const port = (server.address() as { port: number }).port;
    stack = await startPrometheusStack({ dir: path.join(dir, "prom"), runtimeUrl: refenv.urls["runtime-api"], webhookUrl: `http://127.0.0.1:${port}/api/alerts/webhook/${source.id}`, token: secret, environment: "ref" });
    // The console learns where Alertmanager is, for silences.
    await updateSource({ actor: admin, db: database.db }, { id: source.id, version: source.version, alertmanagerUrl: stack.alertmanagerUrl });

    refenv.faults.set({ fault: "stalled_queue", on: true });
    const firing = await waitFor(async () => (await listInbox(database.db)).groups.find((g) => g.status === "firing" && g.labels.alertname === "QueueDepthRisingNoDispatch"), 90_000);
    const alert = firing.alerts[0];
    expect(alert).toMatchObject({ severity: "critical", source: { name: "reference alertmanager", alertmanager: true } });
    expect(alert.labels).toMatchObject({ environment: "ref", surface: "worker", service: "oris-runtime" });
    expect(alert.runbook).toMatchObject({ slug: "incident-response-runbook", via: "runbook_url", section: { sectionId: "queue-depth-rising-no-dispatch", title: "Queue depth rising, no dispatch" } });
    expect(alert.routing.suggestedSeverity).toBe("SEV1");

    const silence = await silenceAlert({ actor: responder, db: database.db }, { alertId: alert.id, durationMinutes: 15, comment: "investigating", alsoInAlertmanager: true });
    expect(silence.externalError).toBeNull();
    const silences = (await (await fetch(`${stack.alertmanagerUrl}/api/v2/silences`)).json()) as { id: string; status: { state: string }; matchers: { name: string; value: string }[] }[];
    const made = silences.find((s) => s.id === silence.externalId)!;
    expect(made.status.state).toBe("active");
    expect(made.matchers).toEqual(expect.arrayContaining([expect.objectContaining({ name: "alertname", value: "QueueDepthRisingNoDispatch" })]));
    await expireSilence({ actor: responder, db: database.db }, { silenceId: silence.id });
    const after = (await (await fetch(`${stack.alertmanagerUrl}/api/v2/silence/${silence.externalId}`)).json()) as { status: { state: string } };
    expect(after.status.state).toBe("expired");

    refenv.faults.set({ fault: "stalled_queue", on: false });
    const resolved = await waitFor(async () => (await listInbox(database.db)).groups.find((g) => g.status === "resolved" && g.labels.alertname === "QueueDepthRisingNoDispatch"), 90_000);
    expect(resolved.alerts[0].endsAt).not.toBeNull();
  }, 240_000);
});
