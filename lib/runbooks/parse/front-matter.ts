import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import type { RunbookMetadata } from "./model";

// Front matter of runbook repositories (Hugo, Jekyll, MkDocs styles: YAML, or TOML between `+++`
// lines in Hugo) → metadata. Keys vary by repository; the common spellings are accepted. Front
// matter that cannot be read is a warning, never a failed file.

const KEYS = {
  title: ["title", "name"],
  aliases: ["aliases", "alias"],
  alerts: ["alerts", "alert", "alertname", "alert_name", "alertnames", "alert_names", "alertName", "alertNames"],
  severity: ["severity", "sev", "priority"],
  owner: ["owner", "owners", "team", "maintainer", "maintainers"],
  weight: ["weight", "order"],
  tags: ["tags", "tag", "labels", "keywords", "categories"],
  summary: ["summary", "description"],
} as const;

export type FrontMatter = {
  title?: string;
  summary?: string;
  metadata: Pick<RunbookMetadata, "aliases" | "alerts" | "tags" | "severity" | "owner" | "weight" | "other">;
  warning?: string;
};

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(scalar).filter((v): v is string => !!v).slice(0, 100);
  const one = scalar(value);
  return one ? one.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

function pick(data: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) if (data[name] !== undefined && data[name] !== null) return data[name];
  return undefined;
}

export function readFrontMatter(text: string, line: number, format: "yaml" | "toml" = "yaml"): FrontMatter {
  let data: unknown;
  try {
    // No aliases: a few lines of YAML must not expand into gigabytes.
    data = format === "toml" ? parseToml(text) : parseYaml(text, { maxAliasCount: 0, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0].slice(0, 160) : "unreadable";
    return { metadata: { aliases: [], alerts: [], tags: [], other: {} }, warning: `Line ${line}: the front matter is not valid ${format.toUpperCase()} (${reason}); it was ignored.` };
  }
  if (data === null || data === undefined) return { metadata: { aliases: [], alerts: [], tags: [], other: {} } };
  if (typeof data !== "object" || Array.isArray(data)) {
    return { metadata: { aliases: [], alerts: [], tags: [], other: {} }, warning: `Line ${line}: the front matter is not a set of keys; it was ignored.` };
  }
  // Hugo keeps a site's own keys under `params`; the top level wins over them.
  const top = data as Record<string, unknown>;
  const params = top.params && typeof top.params === "object" && !Array.isArray(top.params) ? (top.params as Record<string, unknown>) : {};
  const record: Record<string, unknown> = { ...params, ...top };
  delete record.params;
  const known = new Set<string>(Object.values(KEYS).flat());
  const other: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (known.has(key)) continue;
    const text = scalar(value) ?? (Array.isArray(value) ? list(value).join(", ") : undefined);
    if (text) other[key] = text.slice(0, 500);
  }
  const weight = Number(scalar(pick(record, KEYS.weight)));
  const owner = list(pick(record, KEYS.owner)).join(", ") || undefined;
  const severity = scalar(pick(record, KEYS.severity));
  return {
    title: scalar(pick(record, KEYS.title)),
    summary: scalar(pick(record, KEYS.summary))?.slice(0, 500),
    metadata: {
      aliases: list(pick(record, KEYS.aliases)),
      alerts: list(pick(record, KEYS.alerts)),
      tags: list(pick(record, KEYS.tags)),
      ...(severity ? { severity } : {}),
      ...(owner ? { owner } : {}),
      ...(Number.isFinite(weight) ? { weight } : {}),
      other,
    },
  };
}

/**
 * `KubePodCrashLooping.md` → "KubePodCrashLooping", `etcdMembersDown.md` → "etcdMembersDown": a file
 * named like a Prometheus alert (camel case with at least two humps, no separators). Plain words
 * (`readme`, `database`) and kebab or snake names (`oauth-outage`) are not alert names.
 */
export function alertNameFromFile(fileName: string | undefined): string | null {
  return alertLike(baseNameOf(fileName));
}

/** `docs/alerts/TargetDown.md` → "TargetDown". */
function baseNameOf(fileName: string | undefined): string {
  return fileName?.split(/[\\/]/).pop()?.replace(/\.(md|markdown)$/i, "") ?? "";
}

/**
 * A heading that is an alert's name and nothing else: `## ManagedClusterCertRotationFailed`, or
 * `# TargetDown` in `target_down.md`. Product names are camel case too (`PostgreSQL`, `GitLab`,
 * `CoreDNS`): a heading of two words counts only when the file is named by the same words.
 */
export function alertNameFromHeading(title: string | null, fileName: string | undefined): string | null {
  const name = alertLike(title?.trim());
  if (!name) return null;
  if ((name.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? []).length >= 3) return name;
  const base = baseNameOf(fileName);
  return /[-_]/.test(base) && base.replace(/[-_]/g, "").toLowerCase() === name.toLowerCase() ? name : null;
}

function alertLike(base: string | undefined): string | null {
  if (!base || !/^[A-Za-z][A-Za-z0-9]+$/.test(base) || !/[a-z]/.test(base)) return null;
  const capitals = base.match(/[A-Z]/g)?.length ?? 0;
  // A lowercase start is the first hump; an uppercase start needs a second capital.
  const humps = /^[a-z]/.test(base) ? capitals + 1 : capitals;
  return humps >= 2 ? base : null;
}
