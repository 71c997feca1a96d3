import "server-only";
import { connection, NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import type { Ctx } from "@/lib/context";
import { can, type Permission } from "@/lib/auth/permissions";
import { getActor, requestId as getRequestId } from "@/lib/auth/session";
import { recordDenied } from "@/lib/auth/denied";
import { errorView } from "./to-message";

type Handler<P> = (request: NextRequest, ctx: Ctx, params: P) => Promise<Response>;

/**
 * Wraps a route handler: session → permission (refusals audited) → handler; typed errors become
 * JSON with the right status. Handlers validate their own input with zod via parseInput.
 */
export function withRoute<P = Record<string, string>>(options: { permission: Permission; name: string }, handler: Handler<P>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    await connection();
    const requestId = await getRequestId();
    try {
      const actor = await getActor();
      if (!actor) return NextResponse.json({ error: "Sign in to continue." }, { status: 401 });
      const db = await getDb();
      if (!can(actor.role, options.permission)) {
        await recordDenied(db, actor, options.permission, options.name);
        return NextResponse.json({ error: `Your role (${actor.role}) may not do this.` }, { status: 403 });
      }
      return await handler(request, { actor, db }, await context.params);
    } catch (error) {
      const view = errorView(error, requestId);
      return NextResponse.json({ error: view.message, fieldErrors: view.fieldErrors, current: view.current }, { status: view.status });
    }
  };
}
