import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// `sitrep refenv start --with-agent` registers itself in the data folder, so the console (at
// start) and the CLI (`sitrep drill run … --env reference`) find it: reference.json, written
// once every surface and the agent listen, removed when it stops. Format in refenv/README.md.

export const REGISTRATION_FILE = "reference.json";
export const AGENT_SECRET_FILE = "agent-secret";
export const ADMIN_TOKEN_FILE = "refenv-admin-token";

/** A secret kept in the data folder: made once (0600), then read. */
export function ensureSecretFile(dataDir: string, name: string, make: () => string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  try {
    fs.writeFileSync(file, make(), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return file;
}

export const newAgentSecret = () => crypto.randomBytes(32).toString("base64url");
export const newAdminToken = () => crypto.randomBytes(24).toString("hex");

export type Registration = {
  urls: Record<string, string>;
  adminToken?: string;
  agent?: { url: string; agentId: string; secretFile: string };
  pid: number;
  startedAt: string;
};

export function writeRegistration(dataDir: string, registration: Registration): string {
  const file = path.join(dataDir, REGISTRATION_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(registration, null, 2), { mode: 0o600 });
  fs.renameSync(temp, file);
  return file;
}

/** Removes the registration when it is still this process's (a newer start may have replaced it). */
export function removeRegistration(dataDir: string, pid = process.pid): void {
  const file = path.join(dataDir, REGISTRATION_FILE);
  try {
    const current = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: number };
    if (current.pid === pid) fs.rmSync(file, { force: true });
  } catch {
    // No file, or not ours to judge.
  }
}
