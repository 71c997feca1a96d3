import { formatWithOptions } from "node:util";
import { env } from "@/lib/env";

// Structured JSON lines: one event per line with a request id, the actor and the object touched.
// Nothing logged may carry query parameters: a failed query's error text lists every parameter
// (webhook secrets, password hashes, note bodies), so such lists are cut from every string field,
// error and stack before a line is written.
const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

const PARAMS = /\n\s*params: [\s\S]*?(?=\n\s+at |$)/g;

/** A log-safe copy of a text: parameter lists of failed queries removed. */
export function scrubText(text: string): string {
  return text.replace(PARAMS, "\nparams: [not logged]");
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value instanceof Error) return scrubText(`${value.name}: ${value.message}`);
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

function write(level: Level, event: string, fields: Record<string, unknown> = {}) {
  if (levels[level] < levels[env.SITREP_LOG_LEVEL]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...(scrub(fields) as Record<string, unknown>) });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (event: string, fields?: Record<string, unknown>) => write("debug", event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write("info", event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write("warn", event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write("error", event, fields),
};

/**
 * In the server process, whatever else prints through console (Next's own error reports, libraries)
 * also becomes a JSON line, scrubbed like the rest, without colour codes.
 */
export function routeConsoleToLog(): void {
  const text = (args: unknown[]) => formatWithOptions({ colors: false, depth: 4 }, ...args).replace(/\u001b\[[0-9;]*m/g, "");
  console.log = (...args: unknown[]) => write("info", "console", { message: text(args) });
  console.info = console.log;
  console.warn = (...args: unknown[]) => write("warn", "console", { message: text(args) });
  console.error = (...args: unknown[]) => write("error", "console", { message: text(args) });
}
