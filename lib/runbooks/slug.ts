// Slugs come from the parser so that runbook slugs, link targets and typed slugs agree.
export { slugify, slugFromFileName } from "@/lib/runbooks/parse";

/** "incident-response" → "Incident response"; a readable title for a pending entry. */
export function titleFromSlug(slug: string): string {
  const words = slug.replace(/-/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : slug;
}

export const SLUG_PATTERN = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u;
