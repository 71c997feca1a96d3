import type { Placeholder, PlaceholderType } from "./model";

export const GENERIC_PATTERN = "^[A-Za-z0-9._:/-]{1,128}$";
export const RELEASE_PATTERN = "^[A-Za-z0-9._-]{1,64}$";
// Ids from the control API are UUIDs in the seeds; accept any compact token of that shape.
export const RUN_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
export const SEED_SLOT_PATTERN = "^preview-[1-3]$";
export const SLOT_PATTERN = "^[A-Za-z0-9._-]{1,64}$";

/** Variables every shell has; referencing them does not make an input. */
export const SHELL_ENV_NAMES = new Set([
  "HOME",
  "PATH",
  "PWD",
  "OLDPWD",
  "USER",
  "LOGNAME",
  "SHELL",
  "TMPDIR",
  "HOSTNAME",
  "LANG",
  "UID",
  "EUID",
  "RANDOM",
  "SECONDS",
  "IFS",
  "PPID",
  "BASH_SOURCE",
]);

export type PlaceholderContext = {
  /** The runbook works with the seeds' preview slots (preview-1..3). */
  seedSlots: boolean;
};

/** `words` is a free-text placeholder as written (`<router pod>` → "router pod"): it describes itself. */
export function describePlaceholder(name: string, ctx: PlaceholderContext, words?: string): Pick<Placeholder, "type" | "pattern" | "description"> {
  const type = placeholderType(name);
  switch (type) {
    case "run-id":
      return { type, pattern: RUN_ID_PATTERN, description: "Run id returned by the control API" };
    case "slot-id":
      return ctx.seedSlots
        ? { type, pattern: SEED_SLOT_PATTERN, description: "Preview slot id (preview-1, preview-2 or preview-3)" }
        : { type, pattern: SLOT_PATTERN, description: "Slot id" };
    case "release-id":
      return { type, pattern: RELEASE_PATTERN, description: "Release id from the release registry" };
    case "commit":
      return { type, pattern: RELEASE_PATTERN, description: "Commit id of a known release" };
    default:
      return { type, pattern: GENERIC_PATTERN, description: words ? words[0].toUpperCase() + words.slice(1) : `Value for ${name}` };
  }
}

function placeholderType(name: string): PlaceholderType {
  const parts = name.split("_");
  if (parts.includes("run") && (parts.includes("id") || parts.length === 1)) return "run-id";
  if (parts.includes("slot")) return "slot-id";
  if (parts.includes("release")) return "release-id";
  if (parts.includes("commit") || parts.includes("sha")) return "commit";
  return "string";
}
