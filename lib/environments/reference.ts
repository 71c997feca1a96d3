import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { environmentRegistrationSchema, registerEnvironment, type EnvironmentRegistration } from "./registration";

// At console start, the environment the start script brought up (the reference environment and
// its local agent) is registered from the registration document it left in the data folder, so a
// new user can run steps at once. What that document says (surfaces, ports) is its own business.

export const REFERENCE_NAME = "reference";
export const REFERENCE_FILE = "reference.json";

/** A registration whose name defaults to "reference". */
export type ReferenceConfig = Omit<EnvironmentRegistration, "name" | "kind"> & Partial<Pick<EnvironmentRegistration, "name" | "kind">>;

/** Creates or refreshes the started environment, its surfaces and its local agent. */
export function registerReference(db: Db, config: ReferenceConfig, agentSecret?: string): Promise<string> {
  return registerEnvironment(db, { name: REFERENCE_NAME, kind: "reference", ...config }, agentSecret);
}

/** The registration the started environment keeps in the data folder (`sitrep refenv start` writes it), or null. */
export function readReferenceFile(dataDir = env.dataDir) {
  const file = path.join(dataDir, REFERENCE_FILE);
  if (!fs.existsSync(file)) return null;
  return environmentRegistrationSchema.partial({ name: true, kind: true }).parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

/** Start hook: registers the started environment when the start script left its registration. */
export async function registerReferenceFromDataDir(db: Db, dataDir = env.dataDir): Promise<string | null> {
  const config = readReferenceFile(dataDir);
  if (!config) return null;
  const secret = config.agent ? fs.readFileSync(path.resolve(dataDir, config.agent.secretFile), "utf8").trim() : undefined;
  const id = await registerReference(db, config, secret);
  log.info("environments.reference_registered", { environmentId: id, control: config.controlBaseUrl, surfaces: config.surfaces.length, agent: config.agent?.url ?? null });
  return id;
}
