import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, environmentSurfaces, stepExecutions } from "@/db/schema";
import { chunksAfter, executionDone, startStepExecution } from "@/lib/executions";
import { parseRunbook } from "@/lib/runbooks/parse";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { registerEnvironment, type EnvironmentRegistration } from "./registration";

// Issue 14 item 6: the console knows nothing of the reference environment. An environment says
// which surfaces it has and on which ports runbooks call them; a runbook's port is mapped through
// that, and no product file imports from refenv/.

let database: TestDatabase;
let server: http.Server;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  database = await createTestDb();
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "ok", surface: "preview-1 stand-in" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.close();
  await database?.cleanup();
});

function registration(surfaces: EnvironmentRegistration["surfaces"]): EnvironmentRegistration {
  const base = `http://127.0.0.1:${port}`;
  return { name: "lab", kind: "drill", controlBaseUrl: base, runtimeBaseUrl: base, surfaces };
}

describe("environment registration", () => {
  it("creates the environment with its surfaces and runbook ports, refreshes it by name, audited", async () => {
    const id = await registerEnvironment(
      database.db,
      registration([
        { name: "Web preview-1", key: "web-preview-1", unit: "web@preview1.service", healthUrl: `http://127.0.0.1:${port}/health`, runbookPorts: [3101], group: "web" },
        { name: "Worker", healthUrl: `http://127.0.0.1:${port}/worker/health` },
      ]),
    );
    let rows = await database.db.select().from(environmentSurfaces).where(eq(environmentSurfaces.environmentId, id));
    expect(rows.map((r) => [r.name, r.key, r.port, r.runbookPorts])).toEqual(
      expect.arrayContaining([
        ["Web preview-1", "web-preview-1", port, [3101]],
        ["Worker", null, port, []],
      ]),
    );
    const again = await registerEnvironment(database.db, registration([{ name: "Web preview-1", healthUrl: `http://127.0.0.1:${port}/health`, runbookPorts: [3101, 3201] }]));
    expect(again).toBe(id);
    rows = await database.db.select().from(environmentSurfaces).where(eq(environmentSurfaces.environmentId, id));
    expect(rows.map((r) => [r.name, r.runbookPorts])).toEqual([["Web preview-1", [3101, 3201]]]);
    const audit = await database.db.select().from(auditEntries).where(eq(auditEntries.targetId, id));
    expect(audit.map((a) => a.action)).toContain("environment.create");
  });

  it("refuses a registration that is not one", async () => {
    await expect(registerEnvironment(database.db, { ...registration([]), controlBaseUrl: "file:///etc/passwd" })).rejects.toThrow();
    await expect(registerEnvironment(database.db, registration([{ name: "x", healthUrl: "http://127.0.0.1:1/", runbookPorts: [70000] }]))).rejects.toThrow();
  });

  it("sends a runbook's port-3101 call to the surface configured for it, wherever that listens", async () => {
    const { actor } = await makeUser(database.db, { role: "responder" });
    const environmentId = await registerEnvironment(database.db, { ...registration([{ name: "Web preview-1", healthUrl: `http://127.0.0.1:${port}/health`, runbookPorts: [3101] }]), name: "lab-2" });
    const step = parseRunbook("# R\n\n## Probe\n```bash\ncurl -fsS http://127.0.0.1:3101/api/health\n```\n", { fileName: "r.md" }).steps[0];
    const started = await startStepExecution({ actor, db: database.db }, { runbookId: null, runbookSlug: "r", revisionId: null, step, environmentId, inputs: {} });
    await executionDone(started.id);
    const [row] = await database.db.select().from(stepExecutions).where(eq(stepExecutions.id, started.id));
    expect(row.state, row.reason ?? "").toBe("succeeded");
    expect((row.ran as { url: string }[])[0].url).toBe(`http://127.0.0.1:${port}/api/health`);
    expect((await chunksAfter(database.db, started.id, 0)).map((c) => c.text).join("")).toContain("preview-1 stand-in");
    expect(seen).toContain("GET /api/health");
  });
});

describe("the product knows nothing of the stand-in", () => {
  it("no product file in lib/ or app/ imports from refenv/", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        // Test files and test helpers start a real reference environment on purpose.
        if (entry.isDirectory()) {
          if (entry.name !== "testing") walk(full);
        } else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.ts$|^testing\.ts$/.test(entry.name)) {
          if (/from\s+["'](@\/refenv|(\.\.\/)+refenv)/.test(fs.readFileSync(full, "utf8"))) offenders.push(full);
        }
      }
    };
    walk(path.resolve(process.cwd(), "lib"));
    walk(path.resolve(process.cwd(), "app"));
    expect(offenders).toEqual([]);
  });
});
