import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "commander";
import { inProcessSitrep } from "../testing";

// `sitrep env …` in-process against a fresh PGlite data folder (the commands open and close it
// per call, as in a terminal).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-env-"));
process.env.SITREP_DATA_DIR = dataDir;
process.env.DATABASE_URL = "";
process.env.SITREP_LOG_LEVEL = "warn";

let register: (program: Command) => void;
beforeAll(async () => {
  ({ register } = await import("./env"));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const sitrep = inProcessSitrep(() => register);

describe("sitrep env", () => {
  it("adds, lists, changes and removes environments", async () => {
    const added = await sitrep("env", "add", "staging", "--control-url", "http://127.0.0.1:18000/", "--runtime-url", "http://127.0.0.1:18080", "--json");
    expect(added.ok, added.error).toBe(true);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: "staging", kind: "staging", controlBaseUrl: "http://127.0.0.1:18000", production: false });

    const set = await sitrep("env", "set", "staging", "--description", "pre-production", "--json");
    expect(JSON.parse(set.stdout)).toMatchObject({ description: "pre-production", version: 2 });

    const list = await sitrep("env", "list", "--json");
    expect(JSON.parse(list.stdout).map((e: { name: string }) => e.name)).toEqual(["staging"]);

    expect((await sitrep("env", "remove", "staging")).ok).toBe(true);
    expect(JSON.parse((await sitrep("env", "list", "--json")).stdout)).toEqual([]);
  }, 120_000);

  it("refuses to change production without --confirm-production", async () => {
    await sitrep("env", "add", "prod", "--kind", "production", "--control-url", "http://p.test", "--runtime-url", "http://q.test");
    const refused = await sitrep("env", "set", "prod", "--description", "x");
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/production environment/);
    expect((await sitrep("env", "set", "prod", "--description", "x", "--confirm-production")).ok).toBe(true);
    expect((await sitrep("env", "remove", "prod")).ok).toBe(false);
  }, 60_000);

  it("adds a surface and an agent whose secret is read from a file and never printed", async () => {
    await sitrep("env", "add", "drill", "--kind", "drill", "--control-url", "http://127.0.0.1:18000", "--runtime-url", "http://127.0.0.1:18080");
    const surface = await sitrep("env", "add-surface", "drill", "--name", "Caddy", "--health-url", "http://127.0.0.1:8088/health", "--host-header", "app.example.com", "--port", "8088", "--json");
    expect(JSON.parse(surface.stdout)).toMatchObject({ name: "Caddy", port: 8088, hostHeader: "app.example.com" });
    const secretFile = path.join(dataDir, "secret.txt");
    fs.writeFileSync(secretFile, "cli-secret-0123456789abcdef\n");
    const agent = await sitrep("env", "add-agent", "drill", "--name", "host-1", "--url", "http://127.0.0.1:7411", "--agent-id", "host-1", "--secret-file", secretFile, "--json");
    expect(agent.ok, agent.error).toBe(true);
    expect(agent.stdout).not.toContain("cli-secret");
    const shown = await sitrep("env", "show", "drill", "--json");
    expect(shown.stdout).not.toContain("cli-secret");
    expect(JSON.parse(shown.stdout).agents).toHaveLength(1);
  }, 60_000);
});
