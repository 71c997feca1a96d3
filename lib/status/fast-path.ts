import type { IncomingMessage, ServerResponse } from "node:http";
import { readyPublicDocuments, type PublicDocuments } from "./cache";
import { chooseEncoding } from "./encoded";
import { STATUS_SECURITY_HEADERS } from "@/lib/http/security-headers.mjs";
import { CONTENT_TYPES, etagMatches, PUBLIC_CACHE_CONTROL, publicEtag, type PublicKind } from "./public-headers";

// The status page gets the most traffic exactly when everything else is on fire. Through Next's
// route handlers each request costs about 1 ms of CPU (request/response objects, web streams,
// routing), and Next 16 neither compresses route handler bodies nor lets them carry their own
// Content-Encoding. So the console's HTTP server asks this function first: when the public
// documents are in memory, fresh and public, it answers straight from them, precompressed.
// Anything else (a restricted page, a stale copy, other methods) falls through to Next, whose
// routes enforce sign-in and reload the snapshot.

const DOCUMENTS: Record<string, { kind: PublicKind; pick: (docs: PublicDocuments) => string | null }> = {
  "/status": { kind: "html", pick: (docs) => docs.html },
  "/status.json": { kind: "json", pick: (docs) => docs.json },
};
const INCIDENT_PAGE = /^\/status\/incidents\/([A-Za-z0-9_-]{1,64})$/;

function documentFor(pathname: string): { kind: PublicKind; pick: (docs: PublicDocuments) => string | null } | null {
  const fixed = DOCUMENTS[pathname];
  if (fixed) return fixed;
  const match = INCIDENT_PAGE.exec(pathname);
  return match ? { kind: "html", pick: (docs) => docs.incidentPage(match[1]) } : null;
}

/** Answers the request from memory and returns true, or returns false to let Next handle it. */
export function servePublicFast(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const target = documentFor(query === -1 ? url : url.slice(0, query));
  if (!target) return false;
  const docs = readyPublicDocuments();
  if (!docs || docs.snapshot.access.requireSignIn) return false;
  const text = target.pick(docs);
  if (text === null) return false;
  const etag = publicEtag(docs, target.kind, false);
  for (const [name, value] of Object.entries(STATUS_SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader("content-type", CONTENT_TYPES[target.kind]);
  res.setHeader("cache-control", PUBLIC_CACHE_CONTROL);
  res.setHeader("etag", etag);
  res.setHeader("vary", "accept-encoding");
  res.setHeader("x-status-source", docs.source);
  if (etagMatches(req.headers["if-none-match"], etag)) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  const body = docs.encoded(text);
  const encoding = chooseEncoding(req.headers["accept-encoding"] ?? null, body);
  const bytes = body[encoding] ?? body.identity;
  if (encoding !== "identity") res.setHeader("content-encoding", encoding);
  res.setHeader("content-length", bytes.byteLength);
  res.statusCode = 200;
  res.end(req.method === "HEAD" ? undefined : bytes);
  return true;
}

type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;
const globalForFastPath = globalThis as unknown as { __sitrepPublicFastPath?: FastPath };

/** Start hook: hands the fast path to the console's HTTP server (scripts/console-server.mjs). */
export function registerPublicFastPath(): void {
  globalForFastPath.__sitrepPublicFastPath = servePublicFast;
}
