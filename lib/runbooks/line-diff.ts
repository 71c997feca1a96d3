import { diffLines } from "diff";

export type DiffLine = { kind: "added" | "removed" | "same"; text: string; oldNumber: number | null; newNumber: number | null };

/** A line diff with line numbers on both sides, for an accessible table rendering. */
export function lineDiff(before: string, after: string): { lines: DiffLine[]; added: number; removed: number } {
  const lines: DiffLine[] = [];
  let oldNumber = 1;
  let newNumber = 1;
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    const texts = part.value.replace(/\n$/, "").split("\n");
    for (const text of texts) {
      if (part.added) {
        lines.push({ kind: "added", text, oldNumber: null, newNumber: newNumber++ });
        added++;
      } else if (part.removed) {
        lines.push({ kind: "removed", text, oldNumber: oldNumber++, newNumber: null });
        removed++;
      } else {
        lines.push({ kind: "same", text, oldNumber: oldNumber++, newNumber: newNumber++ });
      }
    }
  }
  return { lines, added, removed };
}

/** Keeps changed lines and `context` lines around them; gaps become one "skipped" marker. */
export function withContext(lines: DiffLine[], context = 3): Array<DiffLine | { kind: "skip"; count: number }> {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, i) => {
    if (line.kind === "same") return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: Array<DiffLine | { kind: "skip"; count: number }> = [];
  let skipped = 0;
  lines.forEach((line, i) => {
    if (keep[i]) {
      if (skipped) out.push({ kind: "skip", count: skipped });
      skipped = 0;
      out.push(line);
    } else skipped++;
  });
  if (skipped) out.push({ kind: "skip", count: skipped });
  return out;
}
