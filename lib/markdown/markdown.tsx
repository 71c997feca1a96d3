import { renderMarkdown } from "./render";

const noteClasses =
  "space-y-2 text-sm break-words [&_a]:text-accent [&_a]:underline [&_code]:font-mono [&_li]:ml-5 [&_ol]:list-decimal [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-bg [&_pre]:p-2 [&_table]:text-left [&_td]:border [&_td]:border-line [&_td]:px-1 [&_th]:border [&_th]:border-line [&_th]:px-1 [&_ul]:list-disc [&_.task-list-item]:list-none";

/** Renders a note, summary or update with the console's markdown renderer; usable in server and client components. */
export function Markdown({ text, className = noteClasses }: { text: string; className?: string }) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}
