import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig, isPublicPath } from "@/auth.config";

const { auth } = NextAuth(authConfig);

// Convenience only: sends signed-out people to the sign-in page and tags each request with an id
// for the logs and the audit trail. Authorization happens on the server, per action.
export const proxy = auth((request) => {
  const { pathname, search } = request.nextUrl;
  if (!request.auth?.user && !isPublicPath(pathname)) {
    const signIn = new URL("/sign-in", request.nextUrl);
    if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(signIn);
  }
  const requestHeaders = new Headers(request.headers);
  const requestId = requestHeaders.get("x-request-id") ?? crypto.randomUUID();
  requestHeaders.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("x-request-id", requestId);
  return response;
});

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
