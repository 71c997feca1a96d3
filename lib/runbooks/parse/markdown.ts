import type { MarkdownIt } from "markdown-it";
import { installFastTokens } from "@/lib/markdown/fast-tokens";
import { markdownIt } from "@/lib/markdown/markdown-it";

// The runbook parser's markdown-it: the console's one configuration, with tokens built without
// markdown-it's per-field helper (a tenth of a large runbook's parse; see fast-tokens.ts). Put in
// here, on the parser's side, so the browser's bundles (notes render there) do not carry it.

let installed = false;

export function runbookMarkdownIt(): MarkdownIt {
  const md = markdownIt();
  if (!installed) {
    installed = true;
    try {
      installFastTokens(md);
    } catch {
      // Another markdown-it than the one it was written for: the stock token building stays.
    }
  }
  return md;
}
