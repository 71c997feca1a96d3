const classes =
  "space-y-2 text-sm break-words [&_a]:text-accent [&_a]:underline [&_code]:font-mono [&_li]:ml-5 [&_ol]:list-decimal [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-bg [&_pre]:p-2 [&_table]:block [&_table]:overflow-x-auto [&_table]:text-left [&_td]:border [&_td]:border-line [&_td]:px-1 [&_th]:border [&_th]:border-line [&_th]:px-1 [&_ul]:list-disc";

/**
 * A note or summary as the server rendered it (lib/incidents/note-html.ts: raw HTML escaped, links
 * checked). A note that just arrived live shows as written until its rendering follows.
 */
export function NoteBody({ html, text }: { html?: string; text: string }) {
  if (html === undefined) return <p className="text-sm whitespace-pre-wrap break-words">{text}</p>;
  return <div className={classes} dangerouslySetInnerHTML={{ __html: html }} />;
}
