import "server-only";
import type { Environment, EnvironmentSurface } from "@/db/schema";
import { ValidationError } from "@/lib/errors";

// The one place that turns (environment, target, path) into a URL the console sends a request to.
// A path written in a runbook (or resolved from its inputs) can only ever add to the configured
// base URL: it cannot change scheme, host or port, nor climb above the base path. Everything that
// calls out (HTTP steps, drills, health checks, evidence capture, webhooks, the typed clients)
// builds its URL here; nothing else resolves user text against a base.

export type OutboundTarget =
  | { kind: "control" }
  | { kind: "runtime" }
  | { kind: "surface"; surface: Pick<EnvironmentSurface, "name" | "healthUrl"> }
  | { kind: "webhook"; url: string };

export type OutboundEnvironment = Pick<Environment, "name" | "controlBaseUrl" | "runtimeBaseUrl">;

/** A request that would leave the configured origin (or a malformed configured URL). Nothing was sent. */
export class OutboundUrlError extends ValidationError {}

/** The configured base of a target and how messages name it. */
function baseOf(environment: OutboundEnvironment | null, target: OutboundTarget): { base: string; what: string } {
  if (target.kind === "webhook") return { base: target.url, what: "webhook URL" };
  if (!environment) throw new OutboundUrlError(`A request to the ${target.kind} needs its environment.`);
  if (target.kind === "control") return { base: environment.controlBaseUrl, what: `control API of ${environment.name}` };
  if (target.kind === "runtime") return { base: environment.runtimeBaseUrl, what: `runtime API of ${environment.name}` };
  // A surface's address is its health check URL's origin (the surface table stores one URL).
  return { base: originOf(target.surface.healthUrl, `surface "${target.surface.name}"`), what: `surface "${target.surface.name}" of ${environment.name}` };
}

function originOf(url: string, what: string): string {
  return parseBase(url, what).origin;
}

/** Builds the URL for `path` on the target's configured base; throws OutboundUrlError instead of leaving it. */
export function outboundUrl(environment: OutboundEnvironment | null, target: OutboundTarget, path: string): URL {
  const { base, what } = baseOf(environment, target);
  return joinOutbound(base, path, what);
}

function parseBase(raw: string, what: string): URL {
  let base: URL;
  try {
    base = new URL(raw);
  } catch {
    throw new OutboundUrlError(`The ${what} is configured as ${show(raw)}, which is not a URL.`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new OutboundUrlError(`The ${what} must be an http or https URL, not ${show(raw)}.`);
  if (base.username || base.password) throw new OutboundUrlError(`The ${what} must not carry a user name or password in the URL.`);
  base.hash = "";
  return base;
}

/**
 * `base` (configured) + `path` (from a runbook or code). The path must start with one "/", may carry
 * a query, and may not hold anything a URL parser could read as a new authority or a step upward.
 */
export function joinOutbound(baseUrl: string, path: string, what: string): URL {
  const base = parseBase(baseUrl, what);
  const problem = pathProblem(path);
  if (problem) throw new OutboundUrlError(`Refused to send a request outside the ${what} (${base.origin}): the path ${show(path)} ${problem}. Only a path on the configured address can be called.`);
  // An empty path is the configured URL itself, query included (a webhook's token, say).
  if (path === "") return base;
  const basePath = base.pathname.replace(/\/+$/, "");
  const url = new URL(`${base.origin}${basePath}${path}`);
  // Belt and braces: whatever the checks above missed, the final URL must still be on the base.
  const onBase = basePath === "" || url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
  if (url.origin !== base.origin || url.username || url.password || !onBase) {
    throw new OutboundUrlError(`Refused to send a request outside the ${what} (${base.origin}): the path ${show(path)} leads to ${url.origin}${url.pathname}.`);
  }
  return url;
}

// C0 controls, space, DEL, C1 controls and lone surrogates: never part of a path a runbook means.
const UNPRINTABLE = /[\u0000-\u0020\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a path may not be joined to a base, or null when it may. */
export function pathProblem(path: string): string | null {
  if (path === "") return null;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return "is an absolute URL";
  if (!path.startsWith("/")) return `does not start with "/"`;
  if (UNPRINTABLE.test(path)) return "contains spaces or control characters";
  if (path.includes("\\")) return 'contains "\\"';
  if (path.includes("#")) return "contains a fragment (#)";
  const query = path.indexOf("?");
  const pathPart = query === -1 ? path : path.slice(0, query);
  const queryPart = query === -1 ? "" : path.slice(query + 1);
  // Percent-encoding may hide any of these, once or several times over (%252f%252f).
  for (const variant of decodings(pathPart)) {
    if (variant === null) return "has a malformed percent-encoding";
    if (variant.includes("//")) return 'contains "//" (which would name another host)';
    if (variant.includes("\\")) return 'contains an encoded "\\"';
    if (variant.includes("@")) return 'contains "@" (which would name another host)';
    if (UNPRINTABLE.test(variant)) return "contains encoded control characters";
    if (variant.split("/").some((segment) => segment === "." || segment === "..")) return 'contains "." or ".." segments';
  }
  for (const variant of decodings(queryPart)) {
    if (variant === null) return "has a malformed percent-encoding in its query";
    if (/[\u0000-\u001f\u007f]/.test(variant)) return "contains encoded control characters in its query";
  }
  return null;
}

/** The text and what it decodes to, up to three levels deep; null marks a malformed encoding. */
function decodings(text: string): (string | null)[] {
  const out: (string | null)[] = [text];
  let current = text;
  for (let i = 0; i < 3 && current.includes("%"); i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      out.push(null);
      break;
    }
    if (next === current) break;
    out.push(next);
    current = next;
  }
  return out;
}

function show(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}
