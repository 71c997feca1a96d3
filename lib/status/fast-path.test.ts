import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The fast path in front of Next, on a real HTTP server. The database is unreachable (nothing
// listens on port 1), so the documents come from the snapshot on disk, as they would during an
// outage; "Next" is a fallback handler that answers 299. lib/env reads the environment on import.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-status-fast-"));
const saved = { SITREP_DATA_DIR: process.env.SITREP_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
process.env.SITREP_DATA_DIR = dataDir;
process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/unreachable";

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
let server: http.Server;
let port = 0;

function request(urlPath: string, headers: Record<string, string> = {}, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function writeSnapshot() {
  const { EMPTY_SNAPSHOT } = await import("./snapshot");
  const now = new Date().toISOString();
  const snapshot = {
    ...EMPTY_SNAPSHOT,
    id: 8,
    generatedAt: now,
    page: { title: "Fast status", description: "" },
    components: [{ id: "c1", name: "Public API", description: "", group: "Core", position: 0, state: "degraded" as const, stateSince: now, createdAt: now, history: [] }],
    incidents: [
      {
        id: "inc1",
        title: "Slow requests",
        status: "identified" as const,
        impact: "degraded" as const,
        startedAt: now,
        updatedAt: now,
        resolvedAt: null,
        components: [{ id: "c1", name: "Public API" }],
        updates: [{ id: "u1", status: "identified" as const, message: "We know why requests are slow.", publishedAt: now, components: [] }],
      },
    ],
  };
  fs.writeFileSync(path.join(dataDir, "status-snapshot.json"), JSON.stringify(snapshot));
}

beforeAll(async () => {
  const { servePublicFast } = await import("./fast-path");
  server = http.createServer((req, res) => {
    if (servePublicFast(req, res)) return;
    res.statusCode = 299;
    res.end("next");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("public status fast path", () => {
  it("leaves everything to Next until the documents are in memory", async () => {
    expect((await request("/status")).status).toBe(299);
  });

  it("answers /status, /status.json and incident pages from memory, precompressed", { timeout: 20_000 }, async () => {
    await writeSnapshot();
    const { getPublicDocuments } = await import("./cache");
    expect((await getPublicDocuments()).source).toBe("disk");

    const br = await request("/status", { "accept-encoding": "gzip, deflate, br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(Number(br.headers["content-length"])).toBe(br.body.byteLength);
    expect(br.headers["x-status-source"]).toBe("disk");
    expect(br.headers.vary).toBe("accept-encoding");
    // The security headers of every response (issue 13 finding 9), here too.
    expect(br.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(br.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(br.headers["x-content-type-options"]).toBe("nosniff");
    expect(br.headers["referrer-policy"]).toBe("same-origin");
    const html = zlib.brotliDecompressSync(br.body).toString("utf8");
    expect(html).toContain("Fast status");
    expect(html).toContain("We know why requests are slow.");

    const gzip = await request("/status.json?cache=bust", { "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(zlib.gunzipSync(gzip.body).toString("utf8")).components[0]).toMatchObject({ name: "Public API", state: "degraded" });

    const plain = await request("/status/incidents/inc1");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString("utf8")).toContain("Slow requests");
    expect((await request("/status/incidents/unknown")).status).toBe(299);
    expect((await request("/status/feed.atom")).status).toBe(299);
    expect((await request("/status", {}, "POST")).status).toBe(299);

    const head = await request("/status", { "accept-encoding": "gzip" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
  });

  it("answers a matching If-None-Match with 304 (weak comparison)", async () => {
    const first = await request("/status");
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    expect((await request("/status", { "if-none-match": etag })).status).toBe(304);
    expect((await request("/status", { "if-none-match": `"other", ${etag.slice(2)}` })).status).toBe(304);
    expect((await request("/status", { "if-none-match": '"other"' })).status).toBe(200);
  });

  it("hands a stale copy and a page that requires sign-in to Next", { timeout: 20_000 }, async () => {
    const { getPublicDocuments, invalidatePublicCache } = await import("./cache");
    invalidatePublicCache();
    expect((await request("/status")).status).toBe(299);
    // With the database away the reload keeps the copy in memory; turn on "require sign-in" in it
    // the way a published settings change would arrive.
    const docs = await getPublicDocuments();
    expect((await request("/status")).status).toBe(200);
    docs.snapshot.access.requireSignIn = true;
    expect((await request("/status")).status).toBe(299);
    expect((await request("/status.json")).status).toBe(299);
  });
});
