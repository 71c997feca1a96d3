"use client";

import { Markdown as Rendered } from "@/lib/markdown/markdown";

/** Notes are markdown, rendered by the console's one renderer: raw HTML shows as text, links are safe. */
export function Markdown({ text }: { text: string }) {
  return <Rendered text={text} />;
}
