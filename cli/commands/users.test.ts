import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "commander";
import { inProcessSitrep } from "../testing";

// `sitrep users unlock` and `sitrep users reset-password` in-process against a fresh PGlite data
// folder (each command opens and closes it, as in a terminal); the sign-ins between them go through
// lib/auth on the same folder.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-users-"));
process.env.SITREP_DATA_DIR = dataDir;
process.env.DATABASE_URL = "";
process.env.SITREP_LOG_LEVEL = "warn";

let register: (program: Command) => void;
beforeAll(async () => {
  ({ register } = await import("./users"));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const sitrep = inProcessSitrep(() => register);

async function signIn(email: string, password: string, attempts = 1) {
  const { openDatabase } = await import("@/db/client");
  const { authenticate } = await import("@/lib/auth/sign-in");
  const database = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
  try {
    let last;
    for (let i = 0; i < attempts; i++) last = await authenticate(database.db, email, password, { requestId: `cli-${i}`, client: "192.0.2.1" });
    return last!;
  } finally {
    await database.close();
  }
}

describe("sitrep users", () => {
  it("clears a sign-in wait and resets a password (generated when not given)", async () => {
    const created = await sitrep("users", "create", "--email", "ops@example.test", "--role", "responder", "--password", "first-password-1", "--json");
    expect(created.ok, created.error).toBe(true);
    expect(await signIn("ops@example.test", "wrong-password", 7)).toMatchObject({ ok: false, reason: "throttled" });

    const unlocked = await sitrep("users", "unlock", "--email", "ops@example.test", "--json");
    expect(JSON.parse(unlocked.stdout)).toEqual({ email: "ops@example.test", cleared: 1 });
    expect(await signIn("ops@example.test", "first-password-1")).toMatchObject({ ok: true });

    const reset = await sitrep("users", "reset-password", "--email", "ops@example.test", "--json");
    expect(reset.ok, reset.error).toBe(true);
    const { generatedPassword } = JSON.parse(reset.stdout) as { generatedPassword: string };
    expect(generatedPassword.length).toBeGreaterThanOrEqual(12);
    expect(await signIn("ops@example.test", "first-password-1")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await signIn("ops@example.test", generatedPassword)).toMatchObject({ ok: true });

    const unknown = await sitrep("users", "reset-password", "--email", "nobody@example.test", "--password", "some-long-password");
    expect(unknown.ok).toBe(false);
    expect(unknown.error).toMatch(/does not exist/);
  }, 120_000);
});
