import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The database is unreachable (nothing listens on port 1): the public documents come from the
// last snapshot kept on disk in the data folder. lib/env reads the environment on import, so the
// modules are imported after it is set.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-status-cache-"));
const saved = { SITREP_DATA_DIR: process.env.SITREP_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
process.env.SITREP_DATA_DIR = dataDir;
process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/unreachable";

afterAll(() => {
  // Worker processes may be reused by other test files.
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("public documents without a database", () => {
  it("serve the last snapshot from disk, with its components and updates", async () => {
    const { EMPTY_SNAPSHOT } = await import("./snapshot");
    const snapshot = {
      ...EMPTY_SNAPSHOT,
      id: 7,
      generatedAt: new Date().toISOString(),
      page: { title: "Kept status", description: "" },
      components: [{ id: "c1", name: "Public API", description: "", group: "Core", position: 0, state: "partial_outage" as const, stateSince: new Date().toISOString(), createdAt: new Date(Date.now() - 86_400_000).toISOString(), history: [] }],
      incidents: [
        {
          id: "i1",
          title: "Slow requests",
          status: "identified" as const,
          impact: "partial_outage" as const,
          startedAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          resolvedAt: null,
          components: [{ id: "c1", name: "Public API" }],
          updates: [{ id: "u1", status: "identified" as const, message: "We know why requests are slow.", publishedAt: new Date().toISOString(), components: [] }],
        },
      ],
    };
    fs.writeFileSync(path.join(dataDir, "status-snapshot.json"), JSON.stringify(snapshot));
    const { getPublicDocuments } = await import("./cache");
    const docs = await getPublicDocuments();
    expect(docs.source).toBe("disk");
    expect(docs.html).toContain("Kept status");
    expect(docs.html).toContain("We know why requests are slow.");
    expect(JSON.parse(docs.json).components[0]).toMatchObject({ name: "Public API", state: "partial_outage" });
    expect(docs.incidentPage("i1")).toContain("Slow requests");
    expect(docs.incidentPage("nope")).toBeNull();
  }, 20_000);
});
