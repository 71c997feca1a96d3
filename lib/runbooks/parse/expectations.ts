import type { Assertion, Expectation } from "./model";

const FAILURE_PHRASES = [
  /\bexpected[\s-]+(?:to[\s-]+)?fail/i,
  /\bshould\s+fail\b/i,
  /\bmust\s+fail\b/i,
  /\bsimulat\w*\s+(?:an?\s+)?fail/i,
  /\bexpect(?:ed)?\s+(?:an?\s+)?non-?zero\b/i,
];

const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
};

const SHOULD_RETURN = /\bshould\s+(?:return|report|show|contain|respond\s+with|give)\s+(.+)$/i;
const ATTEMPT = /\b(?:(\d+)(?:st|nd|rd|th)|(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))\b(?:\s+\S+){0,3}\s+should\b/i;
const KEY_VALUE = /^["'`]?([A-Za-z_][A-Za-z0-9_.]*)["'`]?\s*(?:[:=]|\bof\b|\bas\b|\bis\b)?\s*["'`]?([^\s"'`,;]+)["'`]?/;

export function expectationFromComment(comment: string | undefined): Expectation {
  if (comment && FAILURE_PHRASES.some((p) => p.test(comment))) {
    return { exit: "failure", source: "comment", reason: comment.replace(/[.\s]+$/, "") };
  }
  return { exit: "success", source: "default" };
}

/** "4th should return queue_reason WAITING_FOR_SLOT" → a proposed JSON assertion on attempt 4. */
export function assertionsFromComment(comment: string | undefined): Assertion[] {
  if (!comment) return [];
  const out: Assertion[] = [];
  for (const sentence of comment.split(/(?<=[.;])\s+/)) {
    const m = SHOULD_RETURN.exec(sentence);
    if (!m) continue;
    const attemptMatch = ATTEMPT.exec(sentence);
    const attempt = attemptMatch ? (attemptMatch[1] ? Number(attemptMatch[1]) : ORDINAL_WORDS[attemptMatch[2].toLowerCase()]) : undefined;
    const tail = m[1].replace(/[.\s]+$/, "").trim();
    const kv = KEY_VALUE.exec(tail);
    const text = comment.trim();
    const extra = attempt !== undefined ? { attempt } : {};
    if (kv && kv[2] && tail.split(/\s+/).length >= 2 && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(kv[1]) && kv[1] !== kv[2]) {
      out.push({ kind: "json-equals", path: kv[1], value: coerce(kv[2]), ...extra, proposed: true, text });
    } else if (tail) {
      out.push({ kind: "output-contains", value: tail.replace(/^["'`]|["'`]$/g, ""), ...extra, proposed: true, text });
    }
  }
  return out;
}

function coerce(value: string): string | number | boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^-?\d+(?:\.\d+)?$/.test(value)) return Number(value);
  return value;
}
