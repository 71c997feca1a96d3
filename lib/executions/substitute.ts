import { normalizeInputName } from "@/lib/runbooks/parse";
import { ValidationError } from "@/lib/errors";

// Fills a step's placeholders (`<run_id>`, `$RUN_ID`, `${RUN_ID}`) in the parts of an HTTP request
// the console sends itself. Values are encoded for where they land (path segment or JSON string),
// so an input can never change the request's shape.

const REFERENCE = /<([A-Za-z_][A-Za-z0-9_-]*)>|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export type Values = Record<string, string>;

function lookup(values: Values, raw: string): string | undefined {
  return values[raw] ?? values[normalizeInputName(raw)];
}

export function referencesIn(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => normalizeInputName(m[1] ?? m[2] ?? m[3]));
}

export function substitute(text: string, values: Values, encode: (value: string) => string): string {
  return text.replace(REFERENCE, (whole, angle?: string, braced?: string, bare?: string) => {
    const name = angle ?? braced ?? bare ?? "";
    const value = lookup(values, name);
    if (value === undefined) {
      const input = normalizeInputName(name);
      throw new ValidationError(`This step needs a value for ${whole}.`, { [input]: ["Enter a value."] });
    }
    return encode(value);
  });
}

export const encodePath = (value: string) => encodeURIComponent(value);
/** Inside a JSON string literal: escape as JSON would, without the surrounding quotes. */
export const encodeJsonString = (value: string) => JSON.stringify(value).slice(1, -1);

/** Extracts a value at `path` (["id"], ["slots", 0, "slot_id"]) from parsed JSON, as text. */
export function extractJson(data: unknown, path: Array<string | number>): string | undefined {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  if (current === undefined || current === null) return undefined;
  return typeof current === "string" ? current : JSON.stringify(current);
}
