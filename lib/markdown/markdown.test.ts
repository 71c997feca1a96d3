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
});
