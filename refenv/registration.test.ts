import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

// `sitrep refenv start --with-agent` with no secret given: it makes one in the data folder,
// registers itself there (reference.json) once everything listens, and removes the registration
// when it stops. Through the real CLI in its own process, on ephemeral ports.

const bin = path.resolve(import.meta.dirname, "../bin/sitrep.mjs");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-refenv-register-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it("generates its agent secret, registers in the data folder, and unregisters on stop", { timeout: 90_000 }, async () => {
  const env = { ...process.env, SITREP_DATA_DIR: dataDir, SITREP_AGENT_SECRET: "", SITREP_AGENT_SECRET_FILE: "", REFENV_ADMIN_TOKEN: "", SITREP_AGENT_PORT: "0", SITREP_REFENV_STATE: path.join(dataDir, "state") };
  const child = spawn(process.execPath, [bin, "refenv", "start", "--with-agent", "--base-port", "0", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const started = await new Promise<{ urls: Record<string, string>; agentUrl: string }>((resolve, reject) => {
      let buffer = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        try {
          resolve(JSON.parse(buffer.slice(buffer.indexOf("{"))));
        } catch {
          // still arriving
        }
      });
      child.on("exit", (code) => reject(new Error(`refenv exited during start (${code})`)));
    });
    const registration = JSON.parse(fs.readFileSync(path.join(dataDir, "reference.json"), "utf8"));
    expect(registration).toMatchObject({ kind: "reference", controlBaseUrl: started.urls["control-api"], runtimeBaseUrl: started.urls["runtime-api"], faultToken: expect.any(String), agent: { url: started.agentUrl, agentId: "reference-host", secretFile: "agent-secret" }, pid: expect.any(Number) });
    expect(registration.surfaces).toContainEqual(expect.objectContaining({ key: "web-preview-1", runbookPorts: [3101] }));
    const secretFile = path.join(dataDir, "agent-secret");
    expect(fs.readFileSync(secretFile, "utf8").length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, "reference.json")).mode & 0o777).toBe(0o600);
    expect((await fetch(`${started.urls["control-api"]}/health`)).status).toBe(200);
    expect((await fetch(`${started.agentUrl}/v1/health`)).status).toBe(200);
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  expect(fs.existsSync(path.join(dataDir, "reference.json"))).toBe(false);
});
