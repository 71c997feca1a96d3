// Markdown → runbook structure. Pure (no database, no I/O), so the editor preview can use it too.
export * from "./model";
export { MAX_RUNBOOK_BYTES, RunbookParseError, type RunbookParseErrorCode } from "./errors";
