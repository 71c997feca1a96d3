import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

type Props = {
  markdown: string;
  /** Heading ids by 1-based source line, so the table of contents can link to them. */
  headingIds?: Record<number, string>;
  /** Runbook slugs by link href, so links to other runbooks open their pages. */
  runbookHrefs?: Record<string, string>;
};

// No typography plugin: the document's elements are styled here, scoped to this wrapper.
const markdownClasses = [
  "space-y-3 text-sm leading-6 break-words",
  "[&_h2]:mt-6 [&_h2]:text-xl [&_h2]:font-bold [&_h3]:mt-5 [&_h3]:text-lg [&_h3]:font-semibold [&_h4]:mt-4 [&_h4]:font-semibold [&_h5]:font-semibold [&_h6]:font-semibold",
  "[&_ul]:ml-5 [&_ul]:list-disc [&_ol]:ml-5 [&_ol]:list-decimal [&_li]:mt-1 [&_.contains-task-list]:list-none [&_.contains-task-list]:ml-0",
  "[&_a]:text-accent [&_a]:underline [&_hr]:border-line",
  "[&_code]:rounded [&_code]:bg-bg [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.85em]",
  "[&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:border [&_pre]:border-line [&_pre]:bg-bg [&_pre]:p-3 [&_pre_code]:p-0",
  "[&_table]:block [&_table]:overflow-x-auto [&_table]:border-collapse [&_th]:border [&_th]:border-line [&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_td]:border [&_td]:border-line [&_td]:px-2 [&_td]:py-1",
].join(" ");

/** Renders runbook markdown with GFM; raw HTML is never rendered. Works in server and client components. */
export function MarkdownView({ markdown, headingIds = {}, runbookHrefs = {} }: Props) {
  const heading = (Tag: "h1" | "h2" | "h3" | "h4" | "h5" | "h6"): Components["h1"] =>
    function Heading({ node, children }) {
      const line = node?.position?.start.line;
      return <Tag id={line && headingIds[line] ? `doc-${headingIds[line]}` : undefined}>{children}</Tag>;
    };
  const components: Components = {
    h1: heading("h2"),
    h2: heading("h3"),
    h3: heading("h4"),
    h4: heading("h5"),
    h5: heading("h6"),
    h6: heading("h6"),
    a({ href, children }) {
      const slug = href ? runbookHrefs[href] : undefined;
      if (slug) return <a href={`/runbooks/${slug}`}>{children}</a>;
      const external = !!href && /^https?:/i.test(href);
      return <a href={href} {...(external ? { rel: "noopener noreferrer", target: "_blank" } : {})}>{children}</a>;
    },
  };
  return (
    <div className={markdownClasses}>
      <Markdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {markdown}
      </Markdown>
    </div>
  );
}
