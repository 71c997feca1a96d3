// Text no input may carry: NUL (PostgreSQL text cannot hold it, and it truncates strings in C
// tools) and unpaired UTF-16 surrogates (not encodable as UTF-8; jsonb refuses them). Checked
// centrally — in the route guard, the action wrapper and the proxy — so a bad byte is a clear 400,
// never a database error.

const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isUnsafeText(text: string): boolean {
  return UNSAFE.test(text);
}

/** The path ("body.notes[2]", "query.q") of the first unsafe string or key in a value, or null. */
export function findUnsafeText(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "string") return isUnsafeText(value) ? path : null;
  if (depth > 64 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUnsafeText(item, `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (typeof File !== "undefined" && value instanceof File) return isUnsafeText(value.name) ? `${path} (file name)` : null;
  for (const [key, item] of Object.entries(value)) {
    if (isUnsafeText(key)) return `${path} (a field name)`;
    const found = findUnsafeText(item, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

export function unsafeTextMessage(where: string): string {
  return `The input contains a NUL character or an unpaired surrogate (in ${where}); such characters are not accepted. Remove them and send it again.`;
}
