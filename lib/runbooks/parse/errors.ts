import { ValidationError } from "@/lib/errors";

/** Larger files are refused before parsing so a stray dump cannot stall an import. */
export const MAX_RUNBOOK_BYTES = 2 * 1024 * 1024;

/**
 * No line of a runbook is this long (a long command or table row is a few thousand characters); a
 * longer one is a dump or a crafted input that would only cost parse time and page weight.
 */
export const MAX_LINE_CHARS = 100_000;

export type RunbookParseErrorCode = "empty" | "binary" | "invalid-utf8" | "too-large" | "too-deep" | "too-slow" | "line-too-long";

/** A file that cannot be a runbook: empty, binary, not UTF-8, too large, or nested too deeply to read. */
export class RunbookParseError extends ValidationError {
  static readonly kind: string = "RunbookParseError";
  constructor(
    message: string,
    readonly code: RunbookParseErrorCode,
    readonly fileName?: string,
  ) {
    super(fileName ? `${fileName}: ${message}` : message);
  }
}
