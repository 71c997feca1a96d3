import { runbookMarkdownIt } from "./markdown";
import type { ValidationOutcome } from "./model";
import { prepareSource } from "./source";
import { closeIndexes, inlineText } from "./tokens";

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
  const source = prepareSource(markdown);
  const tokens = runbookMarkdownIt().parse(source.text, {});
  const close = closeIndexes(tokens);
  const lines = source.lines;
  type HeadingAt = { text: string; depth: number; line: number; endLine: number };
  let heading: HeadingAt | null = null;
  let logHeading: HeadingAt | null = null;
  let target: { endLine: number; headers: string[] } | null = null;
  let logHeadingEnd: number | null = null;
  // Top-level blocks only: tables inside fenced templates or lists are not the runbook's own log.
  for (let i = 0; i < tokens.length; i = (close[i] === -1 ? i : close[i]) + 1) {
    const t = tokens[i];
    if (t.type === "heading_open") {
      const current: HeadingAt = { text: inlineText(tokens[i + 1]), depth: Number(t.tag.slice(1)), line: (t.map?.[0] ?? 0) + 1, endLine: t.map?.[1] ?? 0 };
      if (logHeading && logHeadingEnd === null && current.depth <= logHeading.depth) logHeadingEnd = current.line - 1;
      heading = current;
      if (/validation log/i.test(current.text)) {
        logHeading = current;
        logHeadingEnd = null;
      }
    }
    if (t.type === "table_open") {
      const headers: string[] = [];
      for (let j = i + 1; j < close[i] && tokens[j].type !== "thead_close"; j += 1) if (tokens[j].type === "inline") headers.push(inlineText(tokens[j]).trim());
      const underLog = heading !== null && /validation/i.test(heading.text);
      if (isLogTable(headers) && (underLog || headers.some((h) => h.toLowerCase() === "validator"))) target = { endLine: t.map?.[1] ?? lines.length, headers };
    }
  }
  if (target) {
    const found = target;
    return insertAfterLine(markdown, found.endLine, rows.map((r) => serializeValidationLogRow(r, found.headers)).join(eol), eol);
  }
  const table = [
    `| ${VALIDATION_LOG_HEADERS.join(" | ")} |`,
    `|${VALIDATION_LOG_HEADERS.map(() => "---").join("|")}|`,
    ...rows.map((r) => serializeValidationLogRow(r)),
  ].join(eol);
  if (logHeading) {
    let end = logHeadingEnd ?? lines.length;
    while (end > logHeading.endLine && lines[end - 1]?.trim() === "") end -= 1;
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
