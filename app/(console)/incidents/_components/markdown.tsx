"use client";

import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/** Notes are markdown; raw HTML is dropped and link targets pass react-markdown's URL filter. */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="prose-note space-y-2 text-sm [&_a]:text-accent [&_a]:underline [&_code]:font-mono [&_li]:ml-5 [&_ol]:list-decimal [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-bg [&_pre]:p-2 [&_table]:text-left [&_td]:border [&_td]:border-line [&_td]:px-1 [&_th]:border [&_th]:border-line [&_th]:px-1 [&_ul]:list-disc">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        components={{ a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" /> }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
