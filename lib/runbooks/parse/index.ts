// Markdown → runbook structure. Pure (no database, no I/O, no server-only import), so the
// editor preview in the browser can use it as well as the importer.
export * from "./model";
export { MAX_RUNBOOK_BYTES, RunbookParseError, type RunbookParseErrorCode } from "./errors";
export { checkRunbookText, decodeRunbookBytes, parseRunbook } from "./parse";
export { renderCommandForAgent, normalizeInputName } from "./shell-scan";
export { surfacesFromTable, isSurfaceTable } from "./tables";
export { slugify, slugFromFileName } from "./slug";
export {
  appendValidationLogRows,
  formatValidationResult,
  serializeValidationLogRow,
  VALIDATION_LOG_HEADERS,
  type ValidationLogEntry,
} from "./validation-log";
