import "server-only";
import { execFile, spawn } from "node:child_process";
import { ValidationError } from "@/lib/errors";

// Reads a git checkout with the git command line, never through a shell: argument vectors only,
// no pager, no prompts, no hooks run. Paths come back NUL-separated, so any file name is safe.

const MARKDOWN = /\.(md|markdown)$/i;
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" };

function git(repo: string, args: string[], maxBuffer = 256 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile("git", ["-C", repo, "-c", "core.quotepath=off", ...args], { env: GIT_ENV, encoding: "buffer", maxBuffer, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const detail = stderr.toString("utf8").trim().split("\n")[0] || error.message;
        reject(new ValidationError(`git ${args[0]} failed in ${repo}: ${detail}`));
      } else resolve(stdout);
    });
  });
}

export function isMarkdownPath(path: string): boolean {
  return MARKDOWN.test(path);
}

/** The commit a branch (or HEAD) points at; a clear error when the folder is no git checkout. */
export async function resolveCommit(repo: string, branch: string | null): Promise<string> {
  if (branch !== null && !/^[\w./-]{1,200}$/.test(branch)) throw new ValidationError("A branch name has letters, digits, dots, dashes, underscores and slashes only.");
  const ref = branch ?? "HEAD";
  try {
    return (await git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).toString("utf8").trim();
  } catch {
    const inside = await git(repo, ["rev-parse", "--is-inside-work-tree"]).then(
      () => true,
      () => false,
    );
    if (!inside) throw new ValidationError(`${repo} is not a git checkout.`);
    throw new ValidationError(`There is no branch "${ref}" in ${repo}.`);
  }
}

export async function isAncestor(repo: string, older: string, newer: string): Promise<boolean> {
  return git(repo, ["merge-base", "--is-ancestor", older, newer]).then(
    () => true,
    () => false,
  );
}

export type TreeEntry = { path: string; blob: string };

/** A tree entry's mode for a symbolic link: its blob is the link's target path, not markdown. */
const SYMLINK_MODE = "120000";

/**
 * Markdown files of a commit (blobs only: submodules are commits, and symbolic links name another
 * path, whose file imports under its own name; both are reported apart).
 */
export async function listMarkdown(repo: string, commit: string, subfolder: string | null): Promise<{ files: TreeEntry[]; submodules: string[]; symlinks: string[] }> {
  const out = await git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit, ...(subfolder ? ["--", subfolder] : [])]);
  const files: TreeEntry[] = [];
  const submodules: string[] = [];
  const symlinks: string[] = [];
  for (const record of out.toString("utf8").split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, type, object] = record.slice(0, tab).split(" ");
    const path = record.slice(tab + 1);
    if (type === "commit") submodules.push(path);
    else if (type !== "blob" || !isMarkdownPath(path)) continue;
    else if (mode === SYMLINK_MODE) symlinks.push(path);
    else files.push({ path, blob: object });
  }
  return { files, submodules, symlinks };
}

export type Change = { status: "A" | "M" | "D" | "R"; path: string; oldPath?: string };

/** What changed between two commits, renames followed (markdown paths only). */
export async function diffMarkdown(repo: string, from: string, to: string, subfolder: string | null): Promise<Change[]> {
  const out = (await git(repo, ["diff", "--name-status", "-z", "-M", "--no-ext-diff", from, to, ...(subfolder ? ["--", subfolder] : [])])).toString("utf8").split("\0");
  const changes: Change[] = [];
  for (let i = 0; i < out.length - 1; ) {
    const status = out[i];
    if (!status) {
      i += 1;
      continue;
    }
    if (status.startsWith("R") || status.startsWith("C")) {
      const [oldPath, path] = [out[i + 1], out[i + 2]];
      i += 3;
      if (status.startsWith("C")) {
        if (isMarkdownPath(path)) changes.push({ status: "A", path });
      } else if (isMarkdownPath(oldPath) && isMarkdownPath(path)) changes.push({ status: "R", path, oldPath });
      else if (isMarkdownPath(oldPath)) changes.push({ status: "D", path: oldPath });
      else if (isMarkdownPath(path)) changes.push({ status: "A", path });
      continue;
    }
    const path = out[i + 1];
    i += 2;
    if (!isMarkdownPath(path)) continue;
    const kind = status[0];
    changes.push({ status: kind === "D" ? "D" : kind === "A" ? "A" : "M", path });
  }
  return changes;
}

/** Blob ids of the given paths at a commit. */
export async function blobsAt(repo: string, commit: string, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < paths.length; i += 200) {
    const chunk = paths.slice(i, i + 200);
    const listed = await git(repo, ["ls-tree", "-z", "--full-tree", commit, "--", ...chunk]);
    for (const record of listed.toString("utf8").split("\0")) {
      if (!record) continue;
      const tab = record.indexOf("\t");
      const [mode, type, object] = record.slice(0, tab).split(" ");
      if (type === "blob" && mode !== SYMLINK_MODE) out.set(record.slice(tab + 1), object);
    }
  }
  return out;
}

/** Reads many blobs with one `git cat-file --batch` process: exact bytes, whatever their encoding. */
export function readBlobs(repo: string, blobs: string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, "cat-file", "--batch"], { env: GIT_ENV, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new ValidationError(`git cat-file failed in ${repo}: ${stderr.trim().split("\n")[0]}`));
      const all = Buffer.concat(chunks);
      const out = new Map<string, Buffer>();
      let pos = 0;
      while (pos < all.length) {
        const eol = all.indexOf(0x0a, pos);
        const [sha, type, size] = all.subarray(pos, eol).toString("utf8").split(" ");
        if (type === "missing") {
          pos = eol + 1;
          continue;
        }
        const length = Number(size);
        out.set(sha, all.subarray(eol + 1, eol + 1 + length));
        pos = eol + 1 + length + 1;
      }
      resolve(out);
    });
    child.stdin.end(blobs.map((b) => `${b}\n`).join(""));
  });
}

export type CommitMeta = { commitId: string; author: string; date: Date };

/**
 * For each path, the commit (at or before `commit`) that last changed it: one walk of the history,
 * newest first, stopping once every path is found.
 */
export async function lastCommitsFor(repo: string, commit: string, paths: string[], since: string | null): Promise<Map<string, CommitMeta>> {
  const wanted = new Set(paths);
  const found = new Map<string, CommitMeta>();
  if (wanted.size === 0) return found;
  const range = since ? [`${since}..${commit}`] : [commit];
  const out = (await git(repo, ["log", "-z", "--no-renames", "--name-only", "--format=%x01%H%x1f%an%x1f%aI", ...range])).toString("utf8");
  let current: CommitMeta | null = null;
  for (const part of out.split("\0")) {
    let text = part.replace(/^\n/, "");
    const marker = text.indexOf("\x01");
    if (marker !== -1) {
      const header = text.slice(marker + 1);
      const nl = header.indexOf("\n");
      const [commitId, author, date] = (nl === -1 ? header : header.slice(0, nl)).split("\x1f");
      current = { commitId, author, date: new Date(date) };
      text = nl === -1 ? "" : header.slice(nl + 1);
    }
    if (current && text && wanted.has(text) && !found.has(text)) {
      found.set(text, current);
      if (found.size === wanted.size) break;
    }
  }
  return found;
}
