import MarkdownItCallable, { type MarkdownIt, type RendererRule } from "markdown-it";
import { layoutTags } from "./html-tags";
import { taskLists } from "./task-lists";

// The one markdown parser of the console, for runbooks, incident notes and public status
// updates. markdown-it is linear on adversarial input (100k brackets, megabyte paragraphs, deep
// nesting: see bench/markdown.bench.ts), so no text anyone can write stalls a page.
// Raw HTML is never rendered: `html: false` shows it as text, except a few layout tags read
// without their attributes (html-tags.ts: `<br>`, `<kbd>`, `<details>`/`<summary>`).

const SAFE_PROTOCOL = /^(https?:|mailto:)/i;
const ANY_PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;

/** Links may go to the web, to mail, or stay relative; javascript:, data:, file: and the like are text. */
export function isSafeHref(href: string): boolean {
  const trimmed = href.trim();
  if (SAFE_PROTOCOL.test(trimmed)) return true;
  return !ANY_PROTOCOL.test(trimmed) && !trimmed.startsWith("//") && !trimmed.startsWith("\\");
}

function isExternal(href: string): boolean {
  return SAFE_PROTOCOL.test(href.trim());
}

/**
 * A configured markdown-it: GFM tables, strikethrough, task lists, bare links, safe links, images
 * as links. `breaks` turns single line breaks into `<br>` (notes and updates, written like chat).
 */
export function createMarkdownIt(options: { breaks?: boolean } = {}): MarkdownIt {
  const md = MarkdownItCallable({ html: false, linkify: true, typographer: false, breaks: options.breaks ?? false });
  md.validateLink = isSafeHref;
  // Only links with a scheme or www.: a file name such as `oauth-outage.md` is not a web address.
  md.linkify.set({ fuzzyLink: false });
  md.use(taskLists);
  md.use(layoutTags);
  const renderToken: RendererRule = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);
  const linkOpen = md.renderer.rules.link_open ?? renderToken;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const href = String(tokens[idx].attrGet("href") ?? "");
    if (isExternal(href)) {
      tokens[idx].attrSet("target", "_blank");
      tokens[idx].attrSet("rel", "noopener noreferrer nofollow");
    }
    return linkOpen(tokens, idx, options, env, self);
  };
  // Images load nothing: a page never fetches from a host an author names. They show as links.
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = String(token.attrGet("src") ?? "");
    const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
    const label = `image: ${md.utils.escapeHtml(alt)}`;
    return src && isSafeHref(src) ? `<a href="${md.utils.escapeHtml(src)}"${isExternal(src) ? ' target="_blank" rel="noopener noreferrer nofollow"' : ""}>[${label}]</a>` : `[${label}]`;
  };
  return md;
}

let documents: MarkdownIt | null = null;
let notes: MarkdownIt | null = null;

/** The shared instance for runbooks (rendering keeps no state between calls). */
export function markdownIt(): MarkdownIt {
  documents ??= createMarkdownIt();
  return documents;
}

/** The shared instance for notes, summaries and public updates: line breaks are kept. */
export function notesMarkdownIt(): MarkdownIt {
  notes ??= createMarkdownIt({ breaks: true });
  return notes;
}
