import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SURFACES, type SurfaceId } from "./surfaces";

// How the reference environment registers itself with a console, like any environment would: its
// APIs and every surface of seed 001's matrix, each with the port the seeds' runbooks call it on
// (so `curl http://127.0.0.1:3101/api/health` reaches Web preview-1 wherever it really listens).
// The shape is the console's registration document (lib/environments/registration.ts).

function groupOf(id: SurfaceId): string {
  if (id === "control-api" || id === "runtime-api") return "APIs";
  if (id === "worker") return "workers";
  if (id.startsWith("slot-backend")) return "slot backends";
  return "web";
}

export type ReferenceRegistration = {
  name: string;
  kind: "reference";
  description: string;
  controlBaseUrl: string;
  runtimeBaseUrl: string;
  faultToken?: string;
  surfaces: { name: string; key: string; unit?: string; command?: string; healthUrl: string; hostHeader?: string; group: string; runbookPorts: number[] }[];
  agent?: { url: string; agentId: string; secretFile: string };
};

export function referenceRegistration(
  running: { urls: Record<SurfaceId, string> },
  extra: { name?: string; faultToken?: string; agent?: ReferenceRegistration["agent"] } = {},
): ReferenceRegistration {
  return {
    name: extra.name ?? "reference",
    kind: "reference",
    description: "The reference environment started with Sitrep (refenv) and its local host agent.",
    controlBaseUrl: running.urls["control-api"],
    runtimeBaseUrl: running.urls["runtime-api"],
    ...(extra.faultToken ? { faultToken: extra.faultToken } : {}),
    surfaces: SURFACES.map((s) => ({
      name: s.label,
      key: s.id,
      ...(s.unit.endsWith(".service") ? { unit: s.unit } : { command: s.unit }),
      healthUrl: `${running.urls[s.id]}${s.healthPaths[0]}`,
      ...(s.hostHeader ? { hostHeader: s.hostHeader } : {}),
      group: groupOf(s.id),
      runbookPorts: [s.defaultPort],
    })),
    ...(extra.agent ? { agent: extra.agent } : {}),
  };
}

// `sitrep refenv start --with-agent` registers itself in the data folder, so the console (at
// start) and the CLI (`sitrep drill run … --env reference`) find it: reference.json (the document
// above plus pid and start time), written once every surface and the agent listen, removed when it
// stops. Format in refenv/README.md.

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

/** What `sitrep refenv start` writes: the registration document plus who serves it. */
export type Registration = ReferenceRegistration & { pid: number; startedAt: string };

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
