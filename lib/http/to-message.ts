import "server-only";
import { AppError, ConflictError, ValidationError, isAppError } from "@/lib/errors";
import { isConnectionLoss } from "@/lib/idempotency";
import { log } from "@/lib/log";

export type ErrorView = { status: number; message: string; fieldErrors?: Record<string, string[]>; current?: unknown };

/** What a person sees for an error: the typed error's own words, never a database text or stack. */
export function errorView(error: unknown, requestId: string): ErrorView {
  if (error instanceof ValidationError) return { status: 400, message: error.message, fieldErrors: error.fieldErrors };
  if (error instanceof ConflictError) return { status: 409, message: error.message, current: error.current };
  if (isAppError(error)) return { status: (error as AppError).status, message: error.message };
  if (isConnectionLoss(error)) {
    // Not "nothing was changed": when the connection died around COMMIT nobody can know.
    log.warn("db.connection_lost", { requestId, error: error instanceof Error ? error.message : String(error) });
    return { status: 503, message: `Lost the connection to the database (request ${requestId.slice(0, 8)}). The change may not have been saved: check the page before trying again.` };
  }
  log.error("unexpected_error", { requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), stack: error instanceof Error ? error.stack : undefined });
  return { status: 500, message: `Something went wrong on our side (request ${requestId.slice(0, 8)}). Nothing was changed.` };
}
