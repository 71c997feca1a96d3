import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db/client";
import type { Ctx } from "@/lib/context";
import { can, type Permission } from "@/lib/auth/permissions";
import { getActor, requestId as getRequestId } from "@/lib/auth/session";
import { recordDenied } from "@/lib/auth/denied";
import { errorView } from "@/lib/http/to-message";
import { findUnsafeText, isUnsafeText, unsafeTextMessage } from "@/lib/http/input-text";
import { plainMessage } from "./validation-messages";

export type ActionResult<T> =
  | { ok: true; data: T; message?: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string>; current?: unknown };

type Options<S extends z.ZodType, T> = {
  /** Names the action in audit entries for refusals. */
  name: string;
  schema: S;
  permission: Permission;
  revalidate?: string[];
  /** Where to go after success; runs outside the try so Next's redirect is not swallowed. */
  redirectTo?: (data: T) => string;
  successMessage?: string;
};

/**
 * The one shape of a server action: session → permission (refusals audited) → zod → one lib call →
 * revalidate. Callable from a form with useActionState (prevState, formData) or directly (input).
 */
export function defineAction<S extends z.ZodType, T>(options: Options<S, T>, run: (input: z.output<S>, ctx: Ctx) => Promise<T>) {
  return async (prevOrInput: unknown, maybeInput?: unknown): Promise<ActionResult<T>> => {
    const raw = maybeInput === undefined ? prevOrInput : maybeInput;
    const input = raw instanceof FormData ? formDataToObject(raw) : raw;
    const values = keepTyped(input);
    const requestId = await getRequestId();
    // NUL and unpaired surrogates are refused here for every action, before anything reads them.
    const unsafe = findUnsafeText(input, "");
    if (unsafe) return { ok: false, message: unsafeTextMessage(unsafe || "the form"), values: values && withoutUnsafe(values) };
    let data: T;
    try {
      const actor = await getActor();
      if (!actor) return { ok: false, message: "Your session has ended. Sign in again to continue." };
      const db = await getDb();
      if (!can(actor.role, options.permission)) {
        await recordDenied(db, actor, options.permission, options.name);
        return { ok: false, message: `Your role (${actor.role}) may not do this.` };
      }
      // Messages the schema does not word itself come out as "Title: at most 200 characters".
      const parsed = options.schema.safeParse(input, { error: plainMessage });
      if (!parsed.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "_form"] ??= []).push(issue.message);
        return { ok: false, message: "Some fields need attention.", fieldErrors, values };
      }
      data = await run(parsed.data, { actor, db });
    } catch (error) {
      const view = errorView(error, requestId);
      return { ok: false, message: view.message, fieldErrors: view.fieldErrors, current: view.current, values };
    }
    // A route pattern ("/environments/[name]") revalidates every page of that route.
    for (const path of options.revalidate ?? []) {
      if (path.includes("[")) revalidatePath(path, "page");
      else revalidatePath(path);
    }
    if (options.redirectTo) redirect(options.redirectTo(data));
    return { ok: true, data, message: options.successMessage };
  };
}

function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (key in out) out[key] = ([] as unknown[]).concat(out[key], value);
    else out[key] = value;
  }
  return out;
}

function withoutUnsafe(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => !isUnsafeText(key) && !isUnsafeText(value)));
}

/** What the person typed, echoed back so a failed form keeps it (never secrets). */
function keepTyped(input: unknown): Record<string, string> | undefined {
  if (!input || typeof input !== "object") return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === "string" && !/password|secret|token/i.test(key)) out[key] = value;
  }
  return out;
}
