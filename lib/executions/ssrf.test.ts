import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepExecutions } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { addSurface, createEnvironment } from "@/lib/environments";
import { parseRunbook } from "@/lib/runbooks/parse";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { chunksAfter, executionDone, startStepExecution } from "./index";

// Issue 13 finding 1: a runbook whose curl URL carries a second origin in its path must not reach
// that origin. Each form runs through the real parser and step runner against a real configured
// server; a second real server listens on the port the attack names and must receive nothing.

let database: TestDatabase;
let responder: Actor;
let environmentId: string;
const servers: http.Server[] = [];
let configured: { port: number; requests: string[] };
let target: { port: number; requests: string[] };

async function listening(): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url} host=${req.headers.host}`);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "ok", secret: "reply-from-this-server" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, requests };
}

beforeAll(async () => {
  database = await createTestDb();
  configured = await listening();
  target = await listening();
  const admin = (await makeUser(database.db, { role: "admin" })).actor;
  responder = (await makeUser(database.db, { role: "responder" })).actor;
  const base = `http://127.0.0.1:${configured.port}`;
  const env = await createEnvironment({ actor: admin, db: database.db }, { name: "ssrf-lab", kind: "staging", controlBaseUrl: base, runtimeBaseUrl: base });
  environmentId = env.id;
  await addSurface({ actor: admin, db: database.db }, { environmentId, name: "Web preview", healthUrl: `${base}/health`, port: configured.port });
});
afterAll(async () => {
  for (const server of servers) server.close();
  await database?.cleanup();
});

function stepFor(url: string, method = "GET") {
  const md = `# SSRF\n\n## Probe\n\`\`\`bash\ncurl -sS -X ${method} '${url}'\n\`\`\`\n`;
  const step = parseRunbook(md, { fileName: "ssrf.md" }).steps[0];
  expect(step.commands[0].kind, `${url} should be read as an HTTP call`).toBe("http");
  return step;
}

async function run(url: string, method?: string) {
  const step = stepFor(url, method);
  const started = await startStepExecution({ actor: responder, db: database.db }, { runbookId: null, runbookSlug: "ssrf", revisionId: null, step, environmentId, inputs: {} });
  await executionDone(started.id);
  const [row] = await database.db.select().from(stepExecutions).where(eq(stepExecutions.id, started.id));
  const output = (await chunksAfter(database.db, started.id, 0)).map((c) => c.text).join("");
  return { row, output };
}

describe("HTTP steps never leave the configured origin", () => {
  const forms = (p: number, q: number) => [
    ["a second origin after // (surface)", `http://127.0.0.1:${p}//127.0.0.1:${q}/x`],
    ["an absolute URL glued to the port (surface)", `http://127.0.0.1:${p}http://127.0.0.1:${q}/x`],
    ["user-info @ (surface)", `http://127.0.0.1:${p}@127.0.0.1:${q}/x`],
    ["backslashes (surface)", `http://127.0.0.1:${p}\\\\127.0.0.1:${q}/x`],
    ["percent-encoded slashes (surface)", `http://127.0.0.1:${p}/%2f%2f127.0.0.1:${q}/x`],
    ["percent-encoded backslashes (surface)", `http://127.0.0.1:${p}/%5c%5c127.0.0.1:${q}/x`],
    ["double-encoded slashes (surface)", `http://127.0.0.1:${p}/%252f%252f127.0.0.1:${q}/x`],
    ["a second origin after // (control API)", `http://127.0.0.1:8000//127.0.0.1:${q}/api/slots`],
    ["an absolute URL glued to the port (runtime API)", `http://127.0.0.1:8080http://127.0.0.1:${q}/healthz`],
  ];

  it("refuses every form, sends nothing anywhere, and says why", async () => {
    for (const [name, url] of forms(configured.port, target.port)) {
      for (const method of ["GET", "POST"]) {
        const { row, output } = await run(url, method);
        expect(row.state, `${name} ${method}`).toBe("failed");
        expect(row.reason, name).toMatch(/Refused to send a request outside the .* \(http:\/\/127\.0\.0\.1:\d+\)/);
        expect(output, name).not.toContain("reply-from-this-server");
      }
    }
    expect(target.requests).toEqual([]);
    expect(configured.requests).toEqual([]);
  });

  it("still runs an ordinary surface call on the configured origin", async () => {
    const { row, output } = await run(`http://127.0.0.1:${configured.port}/api/health`);
    expect(row.state, row.reason ?? "").toBe("succeeded");
    expect(output).toContain("reply-from-this-server");
    expect(configured.requests).toEqual([`GET /api/health host=127.0.0.1:${configured.port}`]);
    expect(target.requests).toEqual([]);
  });
});
