import { describe, expect, it } from "vitest";
import { noteHtml } from "./note-html";

describe("notes rendered on the server", () => {
  it("shows raw HTML as text: a note starting with <script> keeps everything after it", () => {
    const html = noteHtml("<script>alert(1)</script> rolled back release 42\n<img src=x onerror=alert(1)>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; rolled back release 42");
    expect(html).not.toMatch(/<script|<img/i);
  });
  it("links only to the web, mail or relative places, and never loads images", () => {
    expect(noteHtml("[x](javascript:alert(1)) [y](data:text/html,hi)")).not.toContain("<a");
    expect(noteHtml("[runbook](https://example.org/rb)")).toContain('<a href="https://example.org/rb" target="_blank" rel="noopener noreferrer nofollow">runbook</a>');
    expect(noteHtml("![graph](https://grafana.example/x.png)")).toMatch(/<a href="https:\/\/grafana.example\/x.png"[^>]*>\[image: graph\]<\/a>/);
  });
  it("keeps line breaks and renders tables", () => {
    expect(noteHtml("one\ntwo")).toContain("one<br>");
    expect(noteHtml("| a | b |\n|---|---|\n| 1 | 2 |")).toContain("<table>");
  });
});
