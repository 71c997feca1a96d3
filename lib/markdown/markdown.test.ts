import { describe, expect, it } from "vitest";
import { isSafeHref, renderMarkdown } from "./index";

describe("the console's markdown renderer (notes, updates)", () => {
  it("shows raw HTML as text: a note starting with <script> keeps its words", () => {
    const html = renderMarkdown("<script>alert('x')</script> deploy rolled back\n<img src=x onerror=alert(1)>");
    expect(html).toContain("&lt;script&gt;alert('x')&lt;/script&gt; deploy rolled back");
    expect(html).not.toMatch(/<script|<img/i);
  });

  it("links only to the web, mail or relative places; external links open apart", () => {
    expect(renderMarkdown("[x](javascript:alert(1)) [y](data:text/html,hi) [z](vbscript:x)")).not.toContain("<a");
    const html = renderMarkdown("see [runbook](https://example.org/rb) and https://example.org/bare and [local](/runbooks/x)");
    expect(html).toContain('<a href="https://example.org/rb" target="_blank" rel="noopener noreferrer nofollow">runbook</a>');
    expect(html).toContain('href="https://example.org/bare"');
    expect(html).toContain('<a href="/runbooks/x">local</a>');
    expect(["//evil.example/x", "\\\\evil", "JAVASCRIPT:x", "file:///etc/passwd"].map(isSafeHref)).toEqual([false, false, false, false]);
  });

  it("never loads images: they become links", () => {
    const html = renderMarkdown("![graph](https://grafana.example/x.png)");
    expect(html).not.toContain("<img");
    expect(html).toContain("[image: graph]");
    // An HTML <img> as runbook repositories write it: the same link, its other attributes dropped.
    expect(renderMarkdown('<img src="images/flow.png" width="600" alt="Failover &amp; flow" onerror="alert(1)">')).toBe('<p><a href="images/flow.png">[image: Failover &amp; flow]</a></p>\n');
    expect(renderMarkdown("<img src='javascript:alert(1)' alt=x> <IMG SRC=diagram.svg/>")).toBe('<p>[image: x] <a href="diagram.svg">[image: diagram.svg]</a></p>\n');
  });

  it("renders GFM tables, task lists, strikethrough, and keeps line breaks in notes", () => {
    const html = renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] paged\n- [ ] rolled back\n\n~~gone~~\nline two");
    expect(html).toContain("<table>");
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" disabled checked aria-label="done"> paged</li>');
    expect(html).toContain("<s>gone</s><br>");
  });

  it("renders adversarial text in linear time (100k brackets) without losing it", () => {
    const text = `${"[".repeat(100_000)}x${"]".repeat(100_000)}`;
    const html = renderMarkdown(text);
    expect(html.length).toBeGreaterThan(100_000);
  });

  it("reads a few layout tags without their attributes; other HTML and unmatched tags stay text", () => {
    const table = renderMarkdown("| step | keys |\n|---|---|\n| restart<br>then wait | <kbd>Ctrl</kbd>+<kbd>C</kbd> |");
    expect(table).toContain("<td>restart<br>\nthen wait</td>");
    expect(table).toContain("<kbd>Ctrl</kbd>+<kbd>C</kbd>");
    expect(renderMarkdown('x<sup onclick="alert(1)">2</sup> <kbd>open')).toBe("<p>x<sup>2</sup> &lt;kbd&gt;open</p>\n");
    expect(renderMarkdown("<br onmouseover=alert(1)>")).not.toMatch(/onmouseover/);
    expect(renderMarkdown("<b>bold</b> <i>it</i> <div>")).toBe("<p><strong>bold</strong> <em>it</em> &lt;div&gt;</p>\n");
    // Notes keep line breaks: `<br/>` at a line's end is one break, not two.
    expect(renderMarkdown("one<br/>\ntwo")).toBe("<p>one<br>\ntwo</p>\n");
  });

  it("shows a <details> block open, its summary in bold", () => {
    const html = renderMarkdown("<details>\n<summary>Example output</summary>\n\n```\nOK\n```\n\n</details>\n\nAfter.");
    expect(html).not.toMatch(/details|&lt;/);
    expect(html).toContain("<strong>Example output</strong>");
    expect(html).toContain("<pre><code>OK\n</code></pre>");
    expect(html).toContain("<p>After.</p>");
    // A stray closing summary (seen in real repositories) is left out.
    expect(renderMarkdown("<details><summary><b>Logs</b></summary></summary>\n\ntext\n</details>")).toBe("<p><strong><strong>Logs</strong></strong></p>\n<p>text</p>\n");
  });

  it("reads tags in linear time (9k unmatched <kbd>, then 9k </sup>: the most a note renders)", () => {
    const html = renderMarkdown(`${"<kbd>".repeat(9_000)}${"</sup>".repeat(9_000)}`);
    expect(html.length).toBeGreaterThan(200_000);
    expect(html).not.toContain("<kbd>");
  });

  it("leaves a tag that never closes as text, however many spaces follow it", () => {
    const html = renderMarkdown(`${`<img${" ".repeat(1000)}x <kbd${" ".repeat(190)}y `.repeat(150)}`);
    expect(html).toContain("&lt;img");
    expect(html).not.toMatch(/<img|<a |<kbd>/);
  });
});
