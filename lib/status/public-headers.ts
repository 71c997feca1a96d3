import type { PublicDocuments } from "./cache";

// Headers shared by the two ways a public document is answered: Next's route handlers and the
// fast path in front of Next (fast-path.ts).

export type PublicKind = "html" | "json" | "atom";

export const CONTENT_TYPES: Record<PublicKind, string> = {
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
};

export const PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/**
 * Weak, because the same document goes out gzip-, brotli- or un-encoded and a strong tag would
 * have to differ per encoding.
 */
export function publicEtag(docs: PublicDocuments, kind: PublicKind, restricted: boolean): string {
  const tag = kind === "html" && !restricted ? docs.etag : `${docs.etag.slice(0, -1)}-${kind}"`;
  return `W/${tag}`;
}

/** If-None-Match with weak comparison (RFC 9110 §13.1.2): any listed tag, or "*". */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}
