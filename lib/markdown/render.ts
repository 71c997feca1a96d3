import { notesMarkdownIt } from "./markdown-it";

/** Longest text rendered as markdown; notes and updates are capped far below this by their forms. */
export const MAX_RENDERED_CHARS = 100_000;

// Notes and updates are rendered on read, once per process: markdown-it is linear, so a first
// render of a capped note (20,000 characters) costs at most tens of milliseconds even when crafted
// (brackets are its slowest path), and every later view of the same text is a map lookup. This
// keeps the incident tables as they are (the text is the record; HTML is derived) while no view of
// an incident full of crafted notes renders them again.
const CACHE_CHARS = 4 * 1024 * 1024;
const cache = new Map<string, string>();
let cachedChars = 0;

/**
 * Notes, summaries and public updates as safe HTML: raw HTML shows as text (`<script>` stays
 * visible), links are http(s), mailto or relative, images become links.
 */
export function renderMarkdown(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const capped = text.length > MAX_RENDERED_CHARS ? `${text.slice(0, MAX_RENDERED_CHARS)}\n\n…` : text;
  const html = notesMarkdownIt().render(capped);
  cache.set(text, html);
  cachedChars += text.length + html.length;
  for (const [key, value] of cache) {
    if (cachedChars <= CACHE_CHARS) break;
    cache.delete(key);
    cachedChars -= key.length + value.length;
  }
  return html;
}
