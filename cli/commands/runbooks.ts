import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { systemActor } from "@/lib/actor";
import { exportRunbookMarkdown, importRunbooks, listCatalog, type ImportFile, type ImportResult } from "@/lib/runbooks";
import { type SyncResult, syncRepository } from "@/lib/runbooks/sync/sync";
import { CliError, output, withDatabase } from "../context";

const MARKDOWN_FILE = /\.(md|markdown|txt)$/i;

/** Files named on the command line are taken as they are; folders contribute their markdown files. */
function collectFiles(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    const full = path.resolve(input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      throw new CliError(`No such file or folder: ${input}`);
    }
    if (stat.isDirectory()) {
      const inside = fs
        .readdirSync(full, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && MARKDOWN_FILE.test(e.name))
        .map((e) => path.join(e.parentPath, e.name))
        .sort();
      files.push(...inside);
    } else files.push(full);
  }
  return files;
}

function describe(r: ImportResult): string {
  if (r.status === "error") return `✗ ${r.error}`;
  const counts = `${r.steps} steps, ${r.placeholders} placeholders, ${r.checklists} checklists, ${r.tables} tables, ${r.links} links (${r.pendingLinks} pending)`;
  const warnings = r.warnings.map((w) => `\n    warning: ${w}`).join("");
  return `${r.status === "unchanged" ? "=" : "✓"} ${r.file} → ${r.slug} rev ${r.revision} (${r.status}): ${r.title}\n    ${counts}${warnings}`;
}

export function register(program: Command) {
  const runbooks = program.command("runbooks").description("the runbook library");
  runbooks
    .command("import")
    .description("import markdown runbooks from files or folders; identical content is a no-op")
    .argument("<paths...>", "files or folders (folders: every .md, .markdown and .txt file inside)")
    .option("--json", "machine-readable output: one entry per file")
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const names = collectFiles(paths);
      if (!names.length) throw new CliError("No markdown files found in the given folders.");
      const files: ImportFile[] = names.map((name) => ({ name, bytes: new Uint8Array(fs.readFileSync(name)) }));
      const results = await withDatabase(({ db }) => importRunbooks({ actor: systemActor(), db }, files));
      output(!!opts.json, results, results.map(describe).join("\n"));
      if (results.some((r) => r.status === "error")) process.exitCode = 1;
    });
  runbooks
    .command("sync")
    .description("import a git checkout's markdown runbooks; later syncs take only what changed, follow renames and archive deleted files")
    .argument("<checkout>", "folder of a git checkout")
    .option("--branch <branch>", "branch to read (default: the checkout's HEAD)")
    .option("--subfolder <folder>", "only files under this folder of the repository")
    .option("--name <name>", "name of the repository in the console (first sync)")
    .option("--json", "machine-readable output")
    .action(async (checkout: string, opts: { branch?: string; subfolder?: string; name?: string; json?: boolean }) => {
      const result = await withDatabase(({ db }) => syncRepository({ actor: systemActor(), db }, { path: checkout, branch: opts.branch, subfolder: opts.subfolder, name: opts.name }));
      output(!!opts.json, result, describeSync(result));
      if (result.failed.length) process.exitCode = 1;
    });
  runbooks
    .command("list")
    .description("list runbooks and pending entries by category")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const rows = await withDatabase(({ db }) => listCatalog({ actor: systemActor(), db }));
      const text = rows.map((r) => `${r.status.padEnd(9)} ${r.slug.padEnd(48)} ${r.revision ? `rev ${r.revision}` : "      "}  ${r.category} / ${r.title}`).join("\n");
      output(!!opts.json, rows, text || "No runbooks yet.");
    });
  runbooks
    .command("export")
    .description("print a runbook's markdown with its recorded Validation Log rows appended")
    .argument("<slug>", "the runbook's slug")
    .option("--revision <n>", "an earlier revision number")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (slug: string, opts: { revision?: string; output?: string }) => {
      const revision = opts.revision ? Number(opts.revision) : undefined;
      if (revision !== undefined && (!Number.isInteger(revision) || revision < 1)) throw new CliError("--revision takes a revision number (1, 2, …).");
      const exported = await withDatabase(({ db }) => exportRunbookMarkdown({ actor: systemActor(), db }, slug, revision));
      if (opts.output) fs.writeFileSync(opts.output, exported.markdown);
      else process.stdout.write(exported.markdown);
    });
}

function describeSync(r: SyncResult): string {
  const head = `${r.repository} ${r.fromCommit ? `${r.fromCommit.slice(0, 12)}..` : ""}${r.toCommit.slice(0, 12)}${r.full ? " (full sync)" : r.fromCommit === r.toCommit ? " (no new commits)" : ""}`;
  const counts = `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.renamed.length} renamed, ${r.archived.length} archived, ${r.failed.length} failed, ${r.warnings} warnings`;
  const lines = [
    ...r.renamed.map((x) => `  renamed ${x.from} → ${x.to} (${x.slug})`),
    ...r.archived.map((x) => `  archived ${x.slug}: ${x.path} was deleted`),
    ...r.failed.map((x) => `  ✗ ${x.error}`),
    ...r.skippedSubmodules.map((p) => `  submodule ${p} not followed (sync it as its own repository)`),
    ...(r.skippedSymlinks ?? []).map((p) => `  symbolic link ${p} not imported (the file it names is, under its own path)`),
  ];
  return [head, counts, ...lines].join("\n");
}
