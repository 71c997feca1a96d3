import { NextResponse, type NextRequest } from "next/server";
import { isPublicPath } from "@/auth.config";

// Convenience only: sends people without a session cookie to the sign-in page and tags each
// request with an id for the logs and the audit trail. Authorization happens on the server, per
// action. It deliberately does not call Auth.js's auth(): that re-issues the session cookie on
// every request, and a prefetch in flight during sign-out would put the cookie straight back.
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession && !isPublicPath(pathname)) {
    const signIn = new URL("/sign-in", request.nextUrl);
    if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(signIn);
  }
  const requestHeaders = new Headers(request.headers);
  const incoming = requestHeaders.get("x-request-id");
  // A caller may pass its own correlation id, but only a plain one: it ends up in the audit trail.
  const requestId = incoming && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  requestHeaders.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("x-request-id", requestId);
  return response;
}

// The public status documents skip the proxy: they are public or checked by their own routes, and
// they are the pages that get hammered during an outage.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|status$|status/|status\\.json$).*)"],
};
