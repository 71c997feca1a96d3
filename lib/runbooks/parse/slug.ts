const ASCII = /^[\x00-\x7f]*$/;

/** Kebab-case slug: "1) Readiness / Baseline" → "1-readiness-baseline". */
export function slugify(text: string): string {
  // ASCII text (most headings) has no marks to strip and no letters or digits beyond a-z and 0-9.
  if (ASCII.test(text)) {
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

const INDEX_PAGE = /^(?:_?index|readme)$/i;

/**
 * Slug of the runbook a relative `.md` link or file name points to ("incident_response.md" →
 * "incident-response"). A folder's index page (`kubernetes/_index.md`, `etcd/README.md`) is named
 * after its folder.
 */
export function slugFromFileName(fileName: string): string {
  const parts = fileName.replace(/[?#].*$/, "").split(/[\\/]/);
  const base = (parts.pop() ?? fileName).replace(/\.(md|markdown|mdx|txt)$/i, "");
  const folder = parts.pop();
  return slugify(INDEX_PAGE.test(base) && folder && folder !== "." && folder !== ".." ? folder : base);
}

/** Hands out unique slugs: the second "Symptoms" heading becomes "symptoms-2". */
export class Slugger {
  private seen = new Map<string, number>();

  slug(text: string, fallback = "section"): string {
    const base = slugify(text) || fallback;
    const count = this.seen.get(base) ?? 0;
    this.seen.set(base, count + 1);
    if (count === 0) return base;
    let candidate = `${base}-${count + 1}`;
    let n = count + 1;
    while (this.seen.has(candidate)) {
      n += 1;
      candidate = `${base}-${n}`;
    }
    this.seen.set(candidate, 1);
    return candidate;
  }
}
