// The runbook library: import, git sync, revisions, links, catalog, archive, export. The parser lives in ./parse.
export { importRunbooks, type ImportFile, type ImportResult, type ImportSummary, type ImportFailure } from "./import";
export { saveRunbookRevision, createRunbook, type SavedRevision } from "./edit";
export { archiveRunbook, restoreRunbook } from "./archive";
export {
  listCatalog,
  getCatalog,
  getRunbookView,
  getRevision,
  diffRevisions,
  UNCATEGORISED,
  type Catalog,
  type CatalogEntry,
  type CatalogFilter,
  type RunbookView,
  type RevisionDiff,
  type RevisionInfo,
  type LinkView,
} from "./queries";
export { exportRunbookMarkdown, type ExportedRunbook } from "./export";
export { recordValidation } from "./validations";
export { RUNBOOKS_CHANNEL } from "./store";
export { findSectionsTitled, type SectionMatch } from "./sections";
export { findRunbooksForAlert, getRunbookSections, runbookUrlParts, type AlertRunbook, type AlertRunbookQuery, type RunbookSectionLink } from "./for-alerts";
export { displayStatus, STALE_AFTER_DAYS, type DisplayStatus } from "./status";
