import type { HttpApi, HttpCall, HttpPipe, JsonPath } from "./model";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "0.0.0.0", "[::1]", "::1"]);
const CONTROL_PORT = 8000;
const RUNTIME_PORT = 8080;

const OPTIONS_WITH_VALUE = new Set([
  "-o", "--output", "-w", "--write-out", "-m", "--max-time", "--connect-timeout", "-u", "--user",
  "-A", "--user-agent", "-e", "--referer", "--retry", "--retry-delay", "--retry-max-time",
  "--cacert", "--cert", "--key", "-b", "--cookie", "-c", "--cookie-jar", "-x", "--proxy",
  "--resolve", "--connect-to", "-T", "--upload-file", "-F", "--form", "-K", "--config",
  "--limit-rate", "-r", "--range", "-E", "-z", "--time-cond", "--unix-socket",
]);
const DATA_OPTIONS = new Set(["-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"]);

const URL_SHAPE = /^(https?):\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^#]*)/;

export type ParsedUrl = { scheme: string; host: string; port: number; path: string };

export function parseHttpUrl(url: string): ParsedUrl | null {
  const m = URL_SHAPE.exec(url);
  if (!m) return null;
  const scheme = m[1];
  const port = m[3] ? Number(m[3]) : scheme === "https" ? 443 : 80;
  const path = m[4] === "" ? "/" : m[4].startsWith("?") ? `/${m[4]}` : m[4];
  return { scheme, host: m[2], port, path };
}

export function classifyApi(url: ParsedUrl): HttpApi | null {
  if (!LOCAL_HOSTS.has(url.host)) return null;
  if (url.port === CONTROL_PORT) return "control";
  if (url.port === RUNTIME_PORT) return "runtime";
  return "surface";
}

/** Reads a curl argument vector (without the `curl` word). Null when there is no http(s) URL. */
export function parseCurlArgs(args: string[]): Omit<HttpCall, "api" | "pipeTo"> & { parsedUrl: ParsedUrl } | null {
  let method: string | null = null;
  const headers: Record<string, string> = {};
  let data: string | null = null;
  let json = false;
  let fail = false;
  let head = false;
  let url: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "-X" || arg === "--request") {
      method = args[++i] ?? null;
    } else if (arg.startsWith("-X") && arg.length > 2 && !arg.startsWith("--")) {
      method = arg.slice(2);
    } else if (arg === "-H" || arg === "--header") {
      const header = args[++i] ?? "";
      const colon = header.indexOf(":");
      if (colon > 0) headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (DATA_OPTIONS.has(arg)) {
      const value = args[++i] ?? "";
      data = data === null ? value : `${data}&${value}`;
      if (arg === "--json") json = true;
    } else if (arg === "--url") {
      url = args[++i] ?? null;
    } else if (arg === "--fail" || arg === "--fail-with-body") {
      fail = true;
    } else if (arg === "--head") {
      head = true;
    } else if (OPTIONS_WITH_VALUE.has(arg)) {
      i += 1;
    } else if (/^-[A-Za-z]+$/.test(arg)) {
      if (arg.includes("f")) fail = true;
      if (arg.includes("I")) head = true;
    } else if (!arg.startsWith("-") && url === null) {
      url = arg;
    }
  }
  if (url === null) return null;
  const parsedUrl = parseHttpUrl(url);
  if (!parsedUrl) return null;
  if (json) {
    headers["Content-Type"] ??= "application/json";
    headers.Accept ??= "application/json";
  }
  const resolvedMethod = (method ?? (head ? "HEAD" : data !== null ? "POST" : "GET")).toUpperCase();
  const call: Omit<HttpCall, "api" | "pipeTo"> & { parsedUrl: ParsedUrl } = {
    method: resolvedMethod,
    url,
    host: parsedUrl.host,
    port: parsedUrl.port,
    path: parsedUrl.path,
    headers,
    failOnHttpError: fail,
    parsedUrl,
  };
  if (data !== null) call.body = { raw: data, ...parseJson(data) };
  return call;
}

function parseJson(raw: string): { json?: unknown } {
  const trimmed = raw.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return {};
  try {
    return { json: JSON.parse(trimmed) };
  } catch {
    return {};
  }
}

const PY_EXTRACT = /json\.loads?\(\s*sys\.stdin(?:\.read\(\))?\s*\)((?:\s*\[\s*(?:"[^"]*"|'[^']*'|\d+)\s*\])+)/;
const PY_SUBSCRIPT = /\[\s*(?:"([^"]*)"|'([^']*)'|(\d+))\s*\]/g;

/** Understands the pipes the seeds use after curl: pretty-printing and extracting one JSON field. */
export function parseJsonPipe(args: string[]): HttpPipe | null {
  const source = args.join(" ");
  const [cmd, ...rest] = args;
  if (cmd === "python3" || cmd === "python") {
    if (rest[0] === "-m" && rest[1] === "json.tool") return { kind: "json-format", source };
    if (rest[0] === "-c" && rest[1]) {
      const m = PY_EXTRACT.exec(rest[1]);
      if (m) {
        const path: JsonPath = [];
        for (const s of m[1].matchAll(PY_SUBSCRIPT)) path.push(s[3] !== undefined ? Number(s[3]) : (s[1] ?? s[2]));
        return { kind: "json-extract", source, path };
      }
    }
    return null;
  }
  if (cmd === "jq") {
    const filters = rest.filter((a) => !a.startsWith("-"));
    if (filters.length === 0 || filters[0] === ".") return filters.length <= 1 ? { kind: "json-format", source } : null;
    const path = parseJqPath(filters[0]);
    return path && filters.length === 1 ? { kind: "json-extract", source, path } : null;
  }
  return null;
}

function parseJqPath(filter: string): JsonPath | null {
  if (!/^(\.[A-Za-z_][A-Za-z0-9_]*|\.?\[\d+\])+$/.test(filter)) return null;
  const path: JsonPath = [];
  for (const m of filter.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) path.push(m[1] ?? Number(m[2]));
  return path;
}
