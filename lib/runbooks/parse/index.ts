// Markdown → runbook structure (markdown-it). Pure (no database, no I/O, no server-only import): the
// importer, the parse worker's bundle and the tests load it alike.
export * from "./model";
export { MAX_LINE_CHARS, MAX_RUNBOOK_BYTES, RunbookParseError, type RunbookParseErrorCode } from "./errors";
export { analyzeRunbook, checkRunbookText, decodeRunbookBytes, parseRunbook, PARSER_VERSION, type AnalyzedRunbook } from "./parse";
export { renderCommandForAgent, normalizeInputName } from "./shell-scan";
export { surfacesFromTable, isSurfaceTable } from "./tables";
export { slugify, slugFromFileName } from "./slug";
export { sectionKind } from "./derive";
export { alertNameFromFile } from "./front-matter";
export {
  appendValidationLogRows,
  formatValidationResult,
  serializeValidationLogRow,
  VALIDATION_LOG_HEADERS,
  type ValidationLogEntry,
} from "./validation-log";
