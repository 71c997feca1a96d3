// The console's one markdown parser and renderer (markdown-it). Pure: no server-only import, so
// client components render notes with it too.
export { createMarkdownIt, isSafeHref, markdownIt, notesMarkdownIt } from "./markdown-it";
export { MAX_RENDERED_CHARS, renderMarkdown } from "./render";
export { taskState } from "./task-lists";
export { Markdown } from "./markdown";
