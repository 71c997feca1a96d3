import "server-only";
import { auth } from "@/auth";
import { getActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { getPublicDocuments, type PublicDocuments } from "./cache";
import { CONTENT_TYPES, etagMatches, PUBLIC_CACHE_CONTROL, publicEtag, type PublicKind } from "./public-headers";
import { ATOM_BASE_MARK } from "./render";

// How the public routes answer: from the cached documents, with an ETag, after the page's
// "require sign-in" setting is enforced here (the proxy treats /status* as public on purpose).

async function signedIn(): Promise<boolean> {
  try {
    return !!(await getActor());
  } catch (error) {
    // The database is away: a valid session cookie is enough to keep showing the last state.
    log.warn("status.access_check_degraded", { error: String(error) });
    const session = await auth().catch(() => null);
    return !!session?.user?.id;
  }
}

/** Serves one cached public document; `pick` returns null for "no such page". */
export async function servePublic(request: Request, kind: PublicKind, pick: (docs: PublicDocuments) => string | null): Promise<Response> {
  const docs = await getPublicDocuments();
  const restricted = docs.snapshot.access.requireSignIn;
  if (restricted && !(await signedIn())) {
    const url = new URL(request.url);
    if (kind === "html") {
      return new Response(null, { status: 303, headers: { location: `/sign-in?callbackUrl=${encodeURIComponent(url.pathname)}`, "cache-control": "no-store" } });
    }
    return Response.json({ error: "Sign in to see the status page." }, { status: 401, headers: { "cache-control": "no-store" } });
  }
  const cacheControl = restricted ? "private, no-store" : PUBLIC_CACHE_CONTROL;
  let body = pick(docs);
  if (body === null) {
    return new Response(kind === "json" ? JSON.stringify({ error: "Not found." }) : "Not found.", { status: 404, headers: { "content-type": kind === "json" ? CONTENT_TYPES.json : "text/plain; charset=utf-8" } });
  }
  // The configured public origin (SITREP_PUBLIC_URL), never the request's: the feed, and so its
  // ETag, are the same whatever a client sends.
  if (kind === "atom") body = body.replace(ATOM_BASE_MARK, env.publicOrigin);
  const etag = publicEtag(docs, kind, restricted);
  const headers = { "content-type": CONTENT_TYPES[kind], "cache-control": cacheControl, etag, "x-status-source": docs.source, vary: "accept-encoding" };
  if (!restricted && etagMatches(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers });
}
