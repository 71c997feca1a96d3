import fs from "node:fs";
import path from "node:path";
import { signedHeaders } from "./auth";

// Helpers for the agent's integration tests (not used at run time).

export const SHIPPED_ALLOWLIST = path.resolve(import.meta.dirname, "../refenv/host/agent-allowlist.json");
export const REFERENCE_HOST_DIR = path.resolve(import.meta.dirname, "../refenv/host");
export const TEST_SECRET = "test-secret-0123456789abcdef";
export const TEST_AGENT_ID = "test-host";

/**
 * Writes a copy of the shipped allowlist into `dir` (working directory still refenv/host),
 * changed by `patch` — e.g. to add `sleep` for timeout tests.
 */
export function writeTestAllowlist(dir: string, patch: (json: any) => void = () => undefined): string {
  const json = JSON.parse(fs.readFileSync(SHIPPED_ALLOWLIST, "utf8"));
  json.workingDirectory = REFERENCE_HOST_DIR;
  patch(json);
  const file = path.join(dir, "agent-allowlist.json");
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

/** A raw POST to the agent, optionally with prepared headers (to replay or tamper). */
export async function rawPost(url: string, pathname: string, body: string, headers?: Record<string, string>) {
  const res = await fetch(url + pathname, {
    method: "POST",
    headers: { "content-type": "application/json", ...(headers ?? signedHeaders(TEST_AGENT_ID, TEST_SECRET, "POST", pathname, body)) },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** The fenced code block that follows a heading of a seed runbook in ../shared/seeds. */
export function seedBlock(seedPrefix: string, headingStart: string): string {
  const dir = path.resolve(process.cwd(), "../shared/seeds");
  const file = fs.readdirSync(dir).find((f) => f.startsWith(seedPrefix));
  if (!file) throw new Error(`seed ${seedPrefix} not found in ${dir}`);
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const at = text.indexOf(headingStart);
  if (at === -1) throw new Error(`heading "${headingStart}" not found in ${file}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!match) throw new Error(`no code block after "${headingStart}" in ${file}`);
  return match[1];
}
