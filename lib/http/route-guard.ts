import "server-only";
import { connection, NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { Ctx } from "@/lib/context";
import { can, type Permission } from "@/lib/auth/permissions";
import { getActor, requestId as getRequestId } from "@/lib/auth/session";
import { recordDenied } from "@/lib/auth/denied";
import { findUnsafeText, unsafeTextMessage } from "./input-text";
import { forgeryProblem, isStateChanging } from "./same-origin";
import { errorView } from "./to-message";

type Handler<P> = (request: NextRequest, ctx: Ctx, params: P) => Promise<Response>;

/**
 * Wraps a route handler: cross-site check for state-changing methods (403) → input text check
 * (400) → session → permission (refusals audited) → handler; typed errors become JSON with the
 * right status. Handlers validate their own input with zod via parseInput. Every API route goes
 * through here, so none can forget these checks.
 */
export function withRoute<P = Record<string, string>>(options: { permission: Permission; name: string }, handler: Handler<P>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    await connection();
    const requestId = await getRequestId();
    try {
      if (isStateChanging(request.method)) {
        const forgery = forgeryProblem(request);
        if (forgery) return NextResponse.json({ error: forgery }, { status: 403 });
      }
      const params = await context.params;
      const unsafe = await unsafeInput(request, params);
      if (unsafe) return NextResponse.json({ error: unsafeTextMessage(unsafe) }, { status: 400 });
      const actor = await getActor();
      if (!actor) return NextResponse.json({ error: "Sign in to continue." }, { status: 401 });
      const db = await getDb();
      if (!can(actor.role, options.permission)) {
        await recordDenied(db, actor, options.permission, options.name);
        return NextResponse.json({ error: `Your role (${actor.role}) may not do this.` }, { status: 403 });
      }
      return await handler(request, { actor, db }, params);
    } catch (error) {
      const view = errorView(error, requestId);
      return NextResponse.json({ error: view.message, fieldErrors: view.fieldErrors, current: view.current }, { status: view.status });
    }
  };
}

/** Where the request carries NUL or an unpaired surrogate: path parameters, query, or JSON body. */
async function unsafeInput(request: NextRequest, params: unknown): Promise<string | null> {
  const inPath = findUnsafeText(params, "path");
  if (inPath) return inPath;
  const inQuery = findUnsafeText(Object.fromEntries(request.nextUrl.searchParams.entries()), "query");
  if (inQuery) return inQuery;
  if (!isStateChanging(request.method)) return null;
  // A clone, so the handler still reads the body itself. Malformed JSON is the handler's to report.
  const text = await request.clone().text();
  if (!text) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.includes("\u0000") ? "body" : null;
  }
  return findUnsafeText(body, "body");
}
