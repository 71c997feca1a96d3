// The runbook library: import, revisions, links, catalog, export. The parser lives in ./parse.
export { importRunbooks, type ImportFile, type ImportResult, type ImportSummary, type ImportFailure } from "./import";
export { saveRunbookRevision, createRunbook, type SavedRevision } from "./edit";
export { listCatalog, getRunbookView, getRevision, diffRevisions, UNCATEGORISED, type CatalogEntry, type RunbookView, type RevisionDiff, type RevisionInfo, type LinkView } from "./queries";
export { exportRunbookMarkdown, type ExportedRunbook } from "./export";
export { recordValidation } from "./validations";
export { RUNBOOKS_CHANNEL } from "./store";
export { findSectionsTitled, type SectionMatch } from "./sections";
export { displayStatus, STALE_AFTER_DAYS, type DisplayStatus } from "./status";
