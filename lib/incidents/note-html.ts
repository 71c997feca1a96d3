import { renderMarkdown } from "@/lib/markdown";
import type { TimelineEventView } from "./views";

// Notes and the summary are markdown, rendered to HTML on the server with the console's one
// renderer (lib/markdown: markdown-it, raw HTML shown as text, safe links, images as links), so
// the incident page ships no markdown parser to the browser.

/** A note's or summary's markdown as safe HTML. */
export function noteHtml(text: string): string {
  return renderMarkdown(text);
}

/** The event with its note rendered (other kinds are one line of plain text and stay as they are). */
export function withNoteHtml(event: TimelineEventView): TimelineEventView {
  return event.kind === "note" ? { ...event, html: noteHtml(event.body) } : event;
}
