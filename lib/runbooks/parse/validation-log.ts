import type { Heading, Table as MdTable } from "mdast";
import { toString } from "mdast-util-to-string";
import type { ValidationOutcome } from "./model";
import { parseMarkdown } from "./tree";

/** One row to write into a runbook's Validation Log. */
export type ValidationLogEntry = {
  date: string;
  validator: string;
  environment: string;
  result: string;
  notes: string;
  /** Link to the drill report; written into a "Report" column if the table has one, else after the notes. */
  reportUrl?: string;
};

export const VALIDATION_LOG_HEADERS = ["Date", "Validator", "Environment", "Result", "Notes"];

export function formatValidationResult(outcome: Exclude<ValidationOutcome, "unknown">): string {
  if (outcome === "pass") return "✅ Pass";
  if (outcome === "pass-with-notes") return "⚠️ Pass with notes";
  return "❌ Fail";
}

function cell(value: string): string {
  return value.replace(/\r?\n/g, " ").replace(/\\/g, "\\\\").replace(/\|/g, "\\|").trim();
}

function valueFor(header: string, row: ValidationLogEntry, hasReportColumn: boolean): string {
  const key = header.trim().toLowerCase();
  if (key === "date") return row.date;
  if (key === "validator" || key === "validated by") return row.validator;
  if (key === "environment" || key === "env") return row.environment;
  if (key === "result" || key === "outcome") return row.result;
  if (key === "report") return row.reportUrl ? `[report](${row.reportUrl})` : "";
  if (key === "notes") {
    const link = !hasReportColumn && row.reportUrl ? `[report](${row.reportUrl})` : "";
    return [row.notes.trim(), link].filter(Boolean).join(" ");
  }
  return "";
}

/** A markdown table row for the given headers (the standard five by default). */
export function serializeValidationLogRow(row: ValidationLogEntry, headers: string[] = VALIDATION_LOG_HEADERS): string {
  const hasReport = headers.some((h) => h.trim().toLowerCase() === "report");
  return `| ${headers.map((h) => cell(valueFor(h, row, hasReport))).join(" | ")} |`;
}

function isLogTable(headers: string[]): boolean {
  const lower = headers.map((h) => h.toLowerCase());
  return lower.includes("date") && (lower.includes("validator") || lower.includes("result"));
}

/**
 * Appends rows to the runbook's Validation Log table, or adds a "## Validation Log" section (or a
 * table under an existing, empty one). Every other byte of the text stays as it was.
 * Tables inside fenced templates (seed 003) are not the runbook's own log and are left alone.
 */
export function appendValidationLogRows(markdown: string, rows: ValidationLogEntry[]): string {
  if (rows.length === 0) return markdown;
  const eol = markdown.includes("\r\n") ? "\r\n" : "\n";
  const tree = parseMarkdown(markdown);
  const lines = markdown.split(/\r?\n/);
  let heading: Heading | null = null;
  let logHeading: Heading | null = null;
  let target: { table: MdTable; headers: string[] } | null = null;
  let logHeadingEnd: number | null = null;
  for (const node of tree.root.children) {
    if (node.type === "heading") {
      if (logHeading && logHeadingEnd === null && node.depth <= logHeading.depth) logHeadingEnd = (node.position?.start.line ?? 1) - 1;
      heading = node;
      if (/validation log/i.test(toString(node))) {
        logHeading = node;
        logHeadingEnd = null;
      }
    }
    if (node.type === "table" && node.children[0]) {
      const headers = node.children[0].children.map((c) => toString(c).trim());
      const underLog = heading !== null && /validation/i.test(toString(heading));
      if (isLogTable(headers) && (underLog || headers.some((h) => h.toLowerCase() === "validator"))) target = { table: node, headers };
    }
  }
  if (target) {
    const end = target.table.position?.end.line ?? lines.length;
    return insertAfterLine(markdown, end, rows.map((r) => serializeValidationLogRow(r, target.headers)).join(eol), eol);
  }
  const table = [
    `| ${VALIDATION_LOG_HEADERS.join(" | ")} |`,
    `|${VALIDATION_LOG_HEADERS.map(() => "---").join("|")}|`,
    ...rows.map((r) => serializeValidationLogRow(r)),
  ].join(eol);
  if (logHeading) {
    let end = logHeadingEnd ?? lines.length;
    while (end > (logHeading.position?.end.line ?? 0) && lines[end - 1]?.trim() === "") end -= 1;
    return insertAfterLine(markdown, end, `${eol}${table}`, eol);
  }
  const base = markdown.endsWith("\n") ? markdown : `${markdown}${eol}`;
  return `${base}${eol}## Validation Log${eol}${eol}${table}${eol}`;
}

/** Inserts text as new lines after the given 1-based line, keeping all other bytes. */
function insertAfterLine(markdown: string, line: number, text: string, eol: string): string {
  let offset = 0;
  for (let n = 0; n < line; n += 1) {
    const next = markdown.indexOf("\n", offset);
    if (next === -1) {
      offset = markdown.length;
      break;
    }
    offset = next + 1;
  }
  if (offset >= markdown.length && !markdown.endsWith("\n")) return `${markdown}${eol}${text}`;
  return `${markdown.slice(0, offset)}${text}${eol}${markdown.slice(offset)}`;
}
