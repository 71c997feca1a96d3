import { NextResponse, type NextRequest } from "next/server";
import { isPublicPath } from "@/auth.config";
import { env } from "@/lib/env";
import { imageHostsForPolicy, pageContentSecurityPolicy, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers.mjs";

// Runs before every page and API route (not the public status documents, see config below):
// - refuses URLs carrying NUL or malformed percent-encoding (400), before any page reads them;
// - sends people without a session cookie to the sign-in page (convenience only: authorization
//   happens on the server, per action; it deliberately does not call Auth.js's auth(), which
//   re-issues the session cookie on every request and would put it back during a sign-out);
// - tags each request with an id for the logs and the audit trail;
// - sets the security headers, with a fresh script nonce per request that Next puts on its own
//   scripts (it reads the nonce from the request's Content-Security-Policy header).
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const badUrl = urlProblem(request.nextUrl.href);
  if (badUrl) return withStaticHeaders(NextResponse.json({ error: badUrl }, { status: 400 }));

  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession && !isPublicPath(pathname)) {
    const signIn = new URL("/sign-in", request.nextUrl);
    if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
    return withStaticHeaders(NextResponse.redirect(signIn));
  }
  const nonce = btoa(crypto.randomUUID());
  const policy = pageContentSecurityPolicy({ nonce, imageHosts: imageHostsForPolicy(), dev: env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  const incoming = requestHeaders.get("x-request-id");
  // A caller may pass its own correlation id, but only a plain one: it ends up in the audit trail.
  const requestId = incoming && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("x-request-id", requestId);
  response.headers.set("content-security-policy", policy);
  return withStaticHeaders(response);
}

function withStaticHeaders(response: NextResponse): NextResponse {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

/** NUL or an unpaired surrogate anywhere in the path or query (decoded), or an undecodable escape. */
function urlProblem(href: string): string | null {
  const raw = href.slice(href.indexOf("/", href.indexOf("//") + 2));
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return "The address contains a malformed percent-encoding.";
  }
  return /\u0000|[\ud800-\udfff]/.test(decoded.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "")) ? "The address contains a NUL character or an unpaired surrogate; such characters are not accepted." : null;
}

// The public status documents skip the proxy: they are public or checked by their own routes, and
// they are the pages that get hammered during an outage (their headers come from next.config.mjs).
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|status$|status/|status\\.json$).*)"],
};
