import { z } from "zod";

/** A key as forms (one per render) and API clients (Idempotency-Key) send it; "" means none. */
export const idempotencyKeySchema = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, "The form's idempotency key is malformed; reload the page.").optional(),
);
