import { analyzeCommand } from "./analyze-command";
import type { Surface, Table, ValidationLogRow, ValidationOutcome } from "./model";

function findColumn(headers: string[], ...patterns: RegExp[]): string | null {
  for (const p of patterns) {
    const h = headers.find((header) => p.test(header));
    if (h) return h;
  }
  return null;
}

/** Whether a table is a startup matrix: a surface column, a port column and a health check column. */
export function isSurfaceTable(table: Pick<Table, "headers">): boolean {
  return (
    findColumn(table.headers, /^surface$/i, /^(service|component)$/i) !== null &&
    findColumn(table.headers, /^port$/i) !== null &&
    findColumn(table.headers, /health/i) !== null
  );
}

/** Seed 001's startup matrix → one entry per surface (name, unit or command, port, env file, health check). */
export function surfacesFromTable(table: Pick<Table, "headers" | "rows">): Surface[] {
  if (!isSurfaceTable(table)) return [];
  const nameCol = findColumn(table.headers, /^surface$/i, /^(service|component)$/i) as string;
  const unitCol = findColumn(table.headers, /unit/i, /command/i);
  const portCol = findColumn(table.headers, /^port$/i) as string;
  const envCol = findColumn(table.headers, /env/i);
  const healthCol = findColumn(table.headers, /health/i) as string;
  return table.rows.map((row) => {
    const unitCell = (unitCol ? row[unitCol] : "")?.trim() ?? "";
    const isUnit = /^[\w@.-]+\.(service|socket|timer|target)$/.test(unitCell);
    const portText = (row[portCol] ?? "").trim();
    const health = (row[healthCol] ?? "").trim();
    let healthCheck: Surface["healthCheck"] = null;
    if (health) {
      const analyzed = analyzeCommand({ source: health, group: 1 }, 1, { start: 0, end: 0 });
      healthCheck = { source: health, http: analyzed.http ?? null };
    }
    return {
      name: (row[nameCol] ?? "").trim(),
      unit: isUnit ? unitCell : null,
      command: !isUnit && unitCell ? unitCell : null,
      port: /^\d{1,5}$/.test(portText) ? Number(portText) : null,
      envFile: envCol && row[envCol]?.trim() ? row[envCol].trim() : null,
      healthCheck,
    };
  });
}

export function isValidationLogTable(table: Pick<Table, "headers">, sectionTitle: string | null): boolean {
  const lower = table.headers.map((h) => h.toLowerCase());
  const hasColumns = lower.includes("date") && (lower.includes("validator") || lower.includes("result"));
  return hasColumns && (sectionTitle === null || /validation/i.test(sectionTitle) || lower.includes("validator"));
}

export function outcomeOf(result: string): ValidationOutcome {
  const lower = result.toLowerCase();
  if (/fail|❌/.test(lower)) return "fail";
  if (/pass/.test(lower) && /note|⚠/.test(lower)) return "pass-with-notes";
  if (/pass|✅/.test(lower)) return "pass";
  return "unknown";
}

const STANDARD = ["date", "validator", "environment", "result", "notes"] as const;

export function validationRowsFromTable(table: Table, linksByLine: Map<number, string>): ValidationLogRow[] {
  return table.rows.map((row, index) => {
    const lowerToHeader = new Map(table.headers.map((h) => [h.toLowerCase(), h]));
    const get = (key: string) => {
      const header = lowerToHeader.get(key);
      return header ? (row[header] ?? "").trim() : "";
    };
    const extra: Record<string, string> = {};
    for (const h of table.headers) if (!(STANDARD as readonly string[]).includes(h.toLowerCase())) extra[h] = row[h] ?? "";
    // Rows start two lines below the header row (after the delimiter row).
    const line = table.startLine + 2 + index;
    const result = get("result");
    const reportUrl = linksByLine.get(line);
    return {
      date: get("date"),
      validator: get("validator"),
      environment: get("environment"),
      result,
      notes: get("notes"),
      outcome: outcomeOf(result),
      ...(reportUrl ? { reportUrl } : {}),
      extra,
      line,
    };
  });
}
