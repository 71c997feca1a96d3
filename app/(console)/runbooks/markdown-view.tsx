import { markdownIt } from "@/lib/markdown/markdown-it";

// No typography plugin: the document's elements are styled here, scoped to this wrapper.
export const markdownClasses = [
  "space-y-3 text-sm leading-6 break-words",
  "[&_h2]:mt-6 [&_h2]:text-xl [&_h2]:font-bold [&_h3]:mt-5 [&_h3]:text-lg [&_h3]:font-semibold [&_h4]:mt-4 [&_h4]:font-semibold [&_h5]:font-semibold [&_h6]:font-semibold",
  "[&_ul]:ml-5 [&_ul]:list-disc [&_ol]:ml-5 [&_ol]:list-decimal [&_li]:mt-1 [&_.task-list-item]:list-none",
  "[&_a]:text-accent [&_a]:underline [&_hr]:border-line",
  "[&_code]:rounded [&_code]:bg-bg [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.85em]",
  "[&_kbd]:rounded [&_kbd]:border [&_kbd]:border-line [&_kbd]:px-1 [&_kbd]:font-mono [&_kbd]:text-[0.85em]",
  "[&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:border [&_pre]:border-line [&_pre]:bg-bg [&_pre]:p-3 [&_pre_code]:p-0",
  "[&_table]:block [&_table]:overflow-x-auto [&_table]:border-collapse [&_th]:border [&_th]:border-line [&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_td]:border [&_td]:border-line [&_td]:px-2 [&_td]:py-1",
].join(" ");

/** The editor's preview: the markdown as the console renders runbooks (raw HTML as text but for a few layout tags, safe links). */
export function MarkdownView({ markdown }: { markdown: string }) {
  return <div className={markdownClasses} dangerouslySetInnerHTML={{ __html: markdownIt().render(markdown) }} />;
}
