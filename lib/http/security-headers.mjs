// Security headers for every response, in one place for the three ways the console answers:
// pages and API routes (proxy.ts, with a fresh script nonce per request), the public status
// documents answered by Next (next.config.mjs) and the status fast path in front of Next
// (lib/status/fast-path.ts). Plain JavaScript so next.config.mjs can import it too.

/** Headers that are the same on every response. */
export const STATIC_SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/**
 * The policy of the console's pages: scripts only with this request's nonce (and what they load),
 * styles from the console (inline allowed: the UI sets style attributes), images from the console
 * and the hosts an admin allowed, never framed.
 * @param {{ nonce: string, imageHosts?: string[], dev?: boolean }} options
 */
export function pageContentSecurityPolicy({ nonce, imageHosts = [], dev = false }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${imageHosts.length ? ` ${imageHosts.join(" ")}` : ""}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The public status documents: no scripts at all, inline styles, own images only. */
export const STATUS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Every header of a public status document, for the fast path and next.config.mjs. */
export const STATUS_SECURITY_HEADERS = { ...STATIC_SECURITY_HEADERS, "content-security-policy": STATUS_CONTENT_SECURITY_POLICY };

// The allowed image hosts, kept in memory by a start hook (lib/http/image-hosts.ts) and read by
// the proxy on every page request.
const globalForHosts = /** @type {{ __sitrepImageHosts?: string[] }} */ (globalThis);

/** @param {string[]} hosts */
export function setImageHostsForPolicy(hosts) {
  globalForHosts.__sitrepImageHosts = hosts;
}

/** @returns {string[]} */
export function imageHostsForPolicy() {
  return globalForHosts.__sitrepImageHosts ?? [];
}
