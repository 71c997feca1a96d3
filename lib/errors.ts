// Typed errors thrown by lib/; the action wrapper and route guard turn them into user messages.
export class AppError extends Error {
  readonly status: number = 500;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
}

export class ConflictError extends AppError {
  readonly status = 409;
  constructor(
    message: string,
    readonly current?: unknown,
  ) {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  constructor(
    message: string,
    readonly permission?: string,
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
}

export class ValidationError extends AppError {
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
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class DatabaseLockedError extends AppError {
  readonly status = 503;
}

/** The database did not answer in time or the connection was lost; the outcome may be unknown. */
export class DatabaseUnavailableError extends AppError {
  readonly status = 503;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
