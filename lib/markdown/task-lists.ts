import type { MarkdownIt, StateCore, Token } from "markdown-it";

const TASK = /^\[([ xX])\][ \t]/;

/** The task state of a list item's first paragraph (`[ ] …`, `[x] …`), or null. */
export function taskState(inline: Token | undefined): boolean | null {
  const m = inline?.type === "inline" ? TASK.exec(inline.content) : null;
  return m ? m[1] !== " " : null;
}

/**
 * GFM task lists: `- [ ] text` items get `meta.checked` and a disabled checkbox in place of the
 * marker. markdown-it has no task lists of its own; this core rule runs after inline parsing.
 */
export function taskLists(md: MarkdownIt): void {
  md.core.ruler.after("inline", "task_lists", (state: StateCore) => {
    const tokens = state.tokens;
    for (let i = 2; i < tokens.length; i += 1) {
      const inline = tokens[i];
      if (inline.type !== "inline" || tokens[i - 1].type !== "paragraph_open" || tokens[i - 2].type !== "list_item_open") continue;
      const checked = taskState(inline);
      if (checked === null) continue;
      const item = tokens[i - 2];
      item.meta = { ...(item.meta ?? {}), checked };
      item.attrJoin("class", "task-list-item");
      const first = inline.children?.[0];
      if (first?.type === "text") first.content = first.content.slice(4);
      const box = new state.Token("html_inline", "", 0);
      box.content = `<input type="checkbox" disabled${checked ? " checked" : ""} aria-label="${checked ? "done" : "to do"}"> `;
      inline.children?.unshift(box);
    }
  });
}
