import { env } from "@/lib/env";

// The address a request came from, for sign-in throttling. The console's own HTTP server
// (scripts/console-server.mjs) writes the socket's address into CLIENT_HEADER, replacing anything
// a client sent. Behind a reverse proxy every socket is the proxy, so with SITREP_TRUST_PROXY=true
// the last X-Forwarded-For entry (the one the proxy appended) is used instead. A header a client
// can set freely is never trusted otherwise: rotating it would reset the throttle.

export const CLIENT_HEADER = "x-sitrep-client";

export function clientAddress(headers: Headers): string {
  if (env.SITREP_TRUST_PROXY) {
    const forwarded = headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded.slice(0, 100);
  }
  return headers.get(CLIENT_HEADER)?.slice(0, 100) || "unknown";
}
