// Splits the text of a shell block into logical commands (continuation lines, open quotes,
// pipes at line end, heredocs and compound statements stay together) and groups them by the
// comment lines and blank lines between them.

export type RawCommand = {
  source: string;
  /** 0-based line offsets inside the block. */
  startOffset: number;
  endOffset: number;
  group: number;
  comment?: string;
};

const COMPOUND_OPEN: Record<string, string> = { if: "fi", for: "done", while: "done", until: "done", case: "esac", select: "done" };
const FUNCTION_HEAD = /^\s*(?:function\s+)?[\w-]+\s*\(\)\s*$/;
/** A line that opens a brace group or a function body (`check() {`, `{`): it closes at a line starting with `}`. */
const BRACE_OPEN = /(^|\)\s*|\s)\{\s*$/;

/**
 * A shell prompt at the start of a line: `$ `, `$> `, a user@host / [user@host dir] prompt ending
 * in `$`, `#` or `%` (`me@db-01:~$ `, `me@db-01 ~ $ `, `[root@web ~]# `), a host name and `$` or a root `#`
 * (`worker$ `, `ncn-m001# `), or a zsh theme's arrow with the folder (`➜  ~ `, `❯ `). A bare `# `
 * is a comment, not a prompt.
 */
const PROMPT =
  /^\s*(?:\$>?|(?:\[[^\]@\n]{1,40}@[^\]\n]{1,80}\]|[\w.-]{1,64}@[\w.-]{1,128}(?::[^\s$#%]{0,200}|\s+[^\s$#%]{1,200})?)\s?[$#%]>?|[\w.-]{1,32}\$|[A-Za-z][\w.-]{0,31}#|➜\s+\S{1,200}(?:\s+git:\([^)\s]{1,100}\))?(?:\s+✗)?|❯)(?:\s|$)/;
/** Sessions langs: a transcript of a terminal, where prompted lines are the commands and the rest is output. */
export const SESSION_LANGS = new Set(["console", "shell-session", "shellsession", "terminal"]);

/**
 * Whether the block is a transcript: its first command line starts with a shell prompt. A
 * prompt-like line further down (in a heredoc's text, `[ -f x ] # note`) does not make a script one.
 */
export function hasPrompts(text: string): boolean {
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || (trimmed.startsWith("#") && !PROMPT.test(line))) continue;
    return PROMPT.test(line);
  }
  return false;
}
const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;

type LineState = { quote: "none" | "single" | "double"; parens: number };

function scanLine(line: string, state: LineState): LineState {
  let { quote, parens } = state;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quote === "single") {
      if (ch === "'") quote = "none";
      continue;
    }
    if (ch === "\\") {
      i += 1;
      continue;
    }
    if (quote === "double") {
      if (ch === '"') quote = "none";
      else if (ch === "$" && line[i + 1] === "(") {
        parens += 1;
        i += 1;
      } else if (ch === ")" && parens > 0) parens -= 1;
      continue;
    }
    if (ch === "#" && (i === 0 || /\s/.test(line[i - 1])) && parens === 0) break;
    if (ch === "'") quote = "single";
    else if (ch === '"') quote = "double";
    else if (ch === "(") parens += 1;
    else if (ch === ")" && parens > 0) parens -= 1;
  }
  return { quote, parens };
}

function continues(line: string): boolean {
  const trimmed = line.trimEnd();
  if (/(^|[^\\])(\\\\)*\\$/.test(trimmed)) return true;
  return /(\|\||&&|\|)$/.test(trimmed);
}

function firstWord(line: string): string {
  return line.trim().split(/[\s;]+/, 1)[0] ?? "";
}

/**
 * The commands of a shell block. A transcript (a block with prompts, or a session-labelled block
 * that has them) runs only its prompted lines, without the prompt, with the lines they continue
 * onto; every other line is output. Anything else is a script: every line is part of a command.
 */
export function splitCommands(text: string): RawCommand[] {
  const lines = text.split(/\r?\n/);
  const prompt = hasPrompts(text);
  const out: RawCommand[] = [];
  let group = 0;
  let groupOpen = false;
  let comment: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let line = lines[i];
    if (prompt) {
      const match = PROMPT.exec(line);
      if (!match) {
        // Output; a blank or comment line still separates groups.
        if (line.trim() === "") groupOpen = false;
        i += 1;
        continue;
      }
      line = line.slice(match[0].length);
    }
    const trimmed = line.trim();
    if (trimmed === "") {
      groupOpen = false;
      comment = [];
      i += 1;
      continue;
    }
    // A shebang says which shell reads the script; it is not a command.
    if (trimmed.startsWith("#!") && out.length === 0 && !groupOpen) {
      i += 1;
      continue;
    }
    if (trimmed.startsWith("#")) {
      if (groupOpen) {
        groupOpen = false;
        comment = [];
      }
      comment.push(trimmed.replace(/^#+\s?/, "").trim());
      i += 1;
      continue;
    }
    if (!groupOpen) {
      group += 1;
      groupOpen = true;
    }
    const start = i;
    const parts = [line];
    let state = scanLine(line, { quote: "none", parens: 0 });
    const heredoc = HEREDOC.exec(line);
    // A function head alone on its line (`check()`) opens its body on the next line (`{`).
    const functionHead = FUNCTION_HEAD.test(line) && /^\s*\{\s*$/.test(lines[i + 1] ?? "");
    const closer = COMPOUND_OPEN[firstWord(line)] ?? (BRACE_OPEN.test(line) || functionHead ? "}" : undefined);
    let depth = closer && !functionHead ? 1 : 0;
    let awaitingBody = functionHead;
    i += 1;
    if (heredoc) {
      while (i < lines.length) {
        parts.push(lines[i]);
        i += 1;
        if (lines[i - 1].trim() === heredoc[2]) break;
      }
    }
    while (i < lines.length && (state.quote !== "none" || state.parens > 0 || continues(parts[parts.length - 1]) || depth > 0 || awaitingBody)) {
      // In a transcript a continued line may carry the shell's secondary prompt (`> `).
      const next = prompt ? lines[i].replace(/^\s*> /, "") : lines[i];
      parts.push(next);
      const quoted = state.quote !== "none";
      state = scanLine(next, state);
      awaitingBody = false;
      if (closer === "}") {
        // Braces inside a quoted string are text.
        if (!quoted && (BRACE_OPEN.test(next) || /^\s*\{\s*$/.test(next))) depth += 1;
        if (!quoted && /^\s*\}/.test(next)) depth -= 1;
      } else if (closer) {
        const word = firstWord(next.replace(/^[;&|\s]+/, ""));
        if (COMPOUND_OPEN[word] === closer) depth += 1;
        if (word === closer || next.trim().endsWith(`; ${closer}`)) depth -= 1;
      }
      i += 1;
    }
    const text = comment.filter(Boolean).join(" ");
    out.push({
      source: parts.join("\n"),
      startOffset: start,
      endOffset: i - 1,
      group,
      ...(text ? { comment: text } : {}),
    });
  }
  return out;
}
