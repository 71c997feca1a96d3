import type { LabelMatcher } from "@/db/schema";

// Alertmanager's matcher semantics: regexes are anchored; a missing label is the empty string.
const compiled = new Map<string, RegExp | null>();

function regex(source: string): RegExp | null {
  let re = compiled.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source})$`);
    } catch {
      re = null;
    }
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

export function matches(matcher: LabelMatcher, labels: Record<string, string>): boolean {
  const value = labels[matcher.label] ?? "";
  switch (matcher.op) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    case "=~":
      return !!regex(matcher.value)?.test(value);
    case "!~":
      return !regex(matcher.value)?.test(value);
  }
}

export const matchesAll = (matchers: LabelMatcher[], labels: Record<string, string>) => matchers.every((m) => matches(m, labels));

export const matcherText = (matchers: LabelMatcher[]) => matchers.map((m) => `${m.label}${m.op}${m.value}`).join(", ");
