import { markdownIt } from "./markdown-it";

/** Longest text rendered as markdown; notes and updates are capped far below this by their forms. */
export const MAX_RENDERED_CHARS = 100_000;

/**
 * Notes, summaries and public updates as safe HTML: raw HTML shows as text (`<script>` stays
 * visible), links are http(s), mailto or relative, images become links. Linear in the text, so
 * rendering on read costs microseconds for the capped sizes these texts have.
 */
export function renderMarkdown(text: string): string {
  const capped = text.length > MAX_RENDERED_CHARS ? `${text.slice(0, MAX_RENDERED_CHARS)}\n\n…` : text;
  return markdownIt().render(capped);
}
