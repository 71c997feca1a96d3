import type { Code, Root, RootContent } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { visit } from "unist-util-visit";

const processor = unified().use(remarkParse).use(remarkGfm);

export type TemplateRange = { language: string; startLine: number; endLine: number; content: string };

export type MarkdownTree = {
	root: Root;
	lines: string[];
	/** Fenced markdown templates, whose text is kept out of the structure. */
	templates: TemplateRange[];
	/** Lines (1-based) of fences that never close. */
	unterminatedFences: number[];
};

const FENCE_LINE = /^\s*(?:>\s*)*(`{3,}|~{3,})\s*([^`\s]*)?.*$/;
const MARKDOWN_LANGS = new Set(["markdown", "md", "mdx"]);

function fenceInfo(line: string): { marker: string; info: string } | null {
	const m = FENCE_LINE.exec(line);
	return m ? { marker: m[1], info: (m[2] ?? "").trim() } : null;
}

/**
 * A markdown template often contains fences of the same length as its own (seed 003), which
 * CommonMark closes early. Authors mean nesting: an inner opening fence carries an info string,
 * a bare fence closes the innermost open one. Returns the intended closing line (1-based).
 */
function intendedTemplateEnd(lines: string[], startLine: number, marker: string): number {
	let depth = 0;
	for (let n = startLine + 1; n <= lines.length; n += 1) {
		const info = fenceInfo(lines[n - 1]);
		if (!info || info.marker[0] !== marker[0]) continue;
		if (info.info !== "") depth += 1;
		else if (depth > 0) depth -= 1;
		else if (info.marker.length >= marker.length) return n;
	}
	return lines.length;
}

export function isFenced(node: Code, lines: string[]): boolean {
	const line = lines[(node.position?.start.line ?? 1) - 1] ?? "";
	return /(`{3,}|~{3,})/.test(line);
}

function closesProperly(node: Code, lines: string[]): boolean {
	const start = node.position?.start.line ?? 1;
	const end = node.position?.end.line ?? start;
	if (end === start) return false;
	const open = fenceInfo(lines[start - 1] ?? "");
	const close = fenceInfo(lines[end - 1] ?? "");
	return !!open && !!close && close.info === "" && close.marker[0] === open.marker[0] && close.marker.length >= open.marker.length;
}

export function parseMarkdown(markdown: string): MarkdownTree {
	const lines = markdown.split(/\r?\n/);
	let text = markdown;
	let root = processor.parse(text) as Root;
	const templates: TemplateRange[] = [];
	// Each pass masks one early-closed template and parses again; bounded by the number of fences.
	for (let pass = 0; pass < 50; pass += 1) {
		let masked: TemplateRange | null = null;
		visit(root, "code", (node: Code) => {
			if (masked || !node.position || !MARKDOWN_LANGS.has((node.lang ?? "").toLowerCase())) return;
			const start = node.position.start.line;
			if (templates.some((t) => t.startLine === start)) return;
			const open = fenceInfo(lines[start - 1] ?? "");
			if (!open) return;
			const end = intendedTemplateEnd(lines, start, open.marker);
			const range: TemplateRange = {
				language: node.lang ?? "markdown",
				startLine: start,
				endLine: end,
				content: lines.slice(start, end === lines.length && !fenceInfo(lines[end - 1] ?? "") ? end : end - 1).join("\n"),
			};
			templates.push(range);
			if (end > node.position.end.line) masked = range;
		});
		if (!masked) break;
		const range: TemplateRange = masked;
		text = lines.map((line, i) => (i + 1 >= range.startLine && i + 1 <= range.endLine ? "" : line)).join("\n");
		root = processor.parse(text) as Root;
	}
	const unterminatedFences: number[] = [];
	visit(root, "code", (node: Code) => {
		if (!node.position || !isFenced(node, lines)) return;
		if (!closesProperly(node, lines)) unterminatedFences.push(node.position.start.line);
	});
	for (const t of templates) {
		const open = fenceInfo(lines[t.startLine - 1] ?? "");
		const close = fenceInfo(lines[t.endLine - 1] ?? "");
		if (t.endLine === t.startLine || !close || close.info !== "" || (open && close.marker.length < open.marker.length)) {
			if (!unterminatedFences.includes(t.startLine)) unterminatedFences.push(t.startLine);
		}
	}
	unterminatedFences.sort((a, b) => a - b);
	return { root, lines, templates, unterminatedFences };
}

export function lineOf(node: { position?: { start: { line: number } } }): number {
	return node.position?.start.line ?? 0;
}

export function endLineOf(node: { position?: { end: { line: number } } }): number {
	return node.position?.end.line ?? 0;
}

export type { RootContent };
