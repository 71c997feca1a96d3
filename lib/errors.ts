// Typed errors thrown by lib/; the action wrapper and route guard turn them into user messages.

/**
 * The kinds an error is (its class and the classes above it), on a registered symbol: Next loads a
 * module once per bundle layer, so an error made by one copy (e.g. by the parse pool kept on
 * globalThis) must still be `instanceof` the same class of another copy. Minified class names
 * cannot tell them apart, so each class names itself in `kind`.
 */
const KINDS = Symbol.for("sitrep.error.kinds");

export class AppError extends Error {
  static readonly kind: string = "AppError";
  readonly status: number = 500;
  constructor(message: string) {
    super(message);
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, "kind")) kinds.push((c as typeof AppError).kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
    this.name = kinds[0];
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kinds = (value as { [KINDS]?: string[] } | null)?.[KINDS];
    return Array.isArray(kinds) && Object.hasOwn(this, "kind") && kinds.includes(this.kind);
  }
}

export class NotFoundError extends AppError {
  static readonly kind: string = "NotFoundError";
  readonly status = 404;
}

export class ConflictError extends AppError {
  static readonly kind: string = "ConflictError";
  readonly status = 409;
  constructor(
    message: string,
    readonly current?: unknown,
  ) {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  static readonly kind: string = "ForbiddenError";
  readonly status = 403;
  constructor(
    message: string,
    readonly permission?: string,
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends AppError {
  static readonly kind: string = "UnauthenticatedError";
  readonly status = 401;
}

export class ValidationError extends AppError {
  static readonly kind: string = "ValidationError";
  readonly status = 400;
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

/** A system Sitrep talks to (control API, runtime API, host agent) failed or was unreachable. */
export class UpstreamError extends AppError {
  static readonly kind: string = "UpstreamError";
  readonly status = 502;
  constructor(
    message: string,
    readonly upstream: string,
    readonly code: "timeout" | "unreachable" | "http_4xx" | "http_5xx" | "invalid_response" | "lost",
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** Too much of something in too little time; says how long to wait. */
export class TooManyRequestsError extends AppError {
  static readonly kind: string = "TooManyRequestsError";
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class DatabaseLockedError extends AppError {
  static readonly kind: string = "DatabaseLockedError";
  readonly status = 503;
}

/** The database did not answer in time or the connection was lost; the outcome may be unknown. */
export class DatabaseUnavailableError extends AppError {
  static readonly kind: string = "DatabaseUnavailableError";
  readonly status = 503;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
