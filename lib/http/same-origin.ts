import { env } from "@/lib/env";

// Cross-site request forgery: a state-changing API request must carry JSON (a cross-site form or
// a "simple" fetch cannot send application/json without a CORS preflight, which we never answer)
// and, when a browser says where it comes from, come from this console's own origin — the host the
// request was sent to, or SITREP_PUBLIC_URL. Like Next's check for server actions.

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

/** Why a state-changing request is refused (403), or null when it may go on. */
export function forgeryProblem(request: Request): string | null {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return `State-changing API requests must send Content-Type: application/json (this one sent ${type ? JSON.stringify(type) : "none"}).`;
  }
  const origin = request.headers.get("origin");
  if (origin === null) {
    // No Origin: not a browser (browsers send it on every POST), unless the fetch metadata says cross-site.
    const site = request.headers.get("sec-fetch-site");
    return site && site !== "same-origin" && site !== "none" ? "This request comes from another site." : null;
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `The request's Origin (${JSON.stringify(origin.slice(0, 100))}) is not an origin.`;
  }
  return allowedHosts(request).has(host) ? null : `The request's Origin (${origin.slice(0, 100)}) is not this console's; cross-site requests are refused.`;
}

function allowedHosts(request: Request): Set<string> {
  const hosts = new Set<string>([new URL(env.publicOrigin).host]);
  const host = request.headers.get("host");
  if (host) hosts.add(host);
  if (env.SITREP_TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
    if (forwarded) hosts.add(forwarded);
  }
  return hosts;
}
