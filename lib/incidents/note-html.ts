import markdownIt, { type MarkdownIt, type RendererRule } from "markdown-it";
import type { TimelineEventView } from "./views";

// Notes and the summary are markdown, rendered to HTML on the server so the incident page ships
// no markdown parser: markdown-it, the console's parser (linear on adversarial input). Raw HTML
// is shown as the text it is (a note starting with `<script>` keeps every word), links go only to
// the web, to mail or stay relative, and images become links so a note never loads anything.

const SAFE_PROTOCOL = /^(https?:|mailto:)/i;
const ANY_PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;
const safeHref = (href: string) => SAFE_PROTOCOL.test(href.trim()) || (!ANY_PROTOCOL.test(href.trim()) && !href.trim().startsWith("//") && !href.trim().startsWith("\\"));

let md: MarkdownIt | null = null;
function renderer(): MarkdownIt {
  if (md) return md;
  md = markdownIt({ html: false, linkify: true, breaks: true });
  md.validateLink = safeHref;
  md.linkify.set({ fuzzyLink: false });
  const renderToken: RendererRule = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);
  const defaultLinkOpen = md.renderer.rules.link_open ?? renderToken;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    if (SAFE_PROTOCOL.test(String(tokens[idx].attrGet("href") ?? ""))) {
      tokens[idx].attrSet("target", "_blank");
      tokens[idx].attrSet("rel", "noopener noreferrer nofollow");
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const src = String(tokens[idx].attrGet("src") ?? "");
    const label = `[image: ${md!.utils.escapeHtml(self.renderInlineAsText(tokens[idx].children ?? [], options, env) || src)}]`;
    return safeHref(src) ? `<a href="${md!.utils.escapeHtml(src)}" rel="noopener noreferrer nofollow">${label}</a>` : label;
  };
  return md;
}

/** A note's or summary's markdown as safe HTML. */
export function noteHtml(text: string): string {
  return renderer().render(text);
}

/** The event with its note rendered (other kinds are one line of plain text and stay as they are). */
export function withNoteHtml(event: TimelineEventView): TimelineEventView {
  return event.kind === "note" ? { ...event, html: noteHtml(event.body) } : event;
}
