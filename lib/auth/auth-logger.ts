import "server-only";
import { log } from "@/lib/log";

// Auth.js logs in coloured text by default (`[auth][error] CredentialsSignin …`). Everything it
// reports goes through our JSON log instead, without stack traces or debug payloads (which can
// hold tokens). A refused sign-in is expected traffic, not an error; the audit log has the details.

type AuthError = Error & { type?: string; kind?: string };

export const authLogger = {
  error(error: AuthError) {
    const type = error.type ?? error.name;
    if (type === "CredentialsSignin" || error.kind === "signIn") {
      log.info("auth.sign_in_refused", { type });
      return;
    }
    // Auth.js wraps the real failure (a provider's answer, a callback's error) as the cause.
    const wrapped = error.cause as { err?: unknown } | Error | undefined;
    const cause = wrapped instanceof Error ? wrapped : wrapped?.err instanceof Error ? wrapped.err : undefined;
    log.error("auth.error", { type, error: error.message.split("\n")[0].slice(0, 300), cause: cause ? `${cause.name}: ${cause.message}`.slice(0, 500) : undefined });
  },
  warn(code: string) {
    log.warn("auth.warning", { code });
  },
  debug(message: string) {
    log.debug("auth.debug", { message: message.slice(0, 200) });
  },
};
