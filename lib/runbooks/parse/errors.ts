import { ValidationError } from "@/lib/errors";

/** Larger files are refused before parsing so a stray dump cannot stall an import. */
export const MAX_RUNBOOK_BYTES = 2 * 1024 * 1024;

export type RunbookParseErrorCode = "empty" | "binary" | "invalid-utf8" | "too-large" | "too-deep" | "too-slow";

/** A file that cannot be a runbook: empty, binary, not UTF-8, too large, or nested too deeply to read. */
export class RunbookParseError extends ValidationError {
  constructor(
    message: string,
    readonly code: RunbookParseErrorCode,
    readonly fileName?: string,
  ) {
    super(fileName ? `${fileName}: ${message}` : message);
  }
}
