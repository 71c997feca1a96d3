import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { Db } from "@/db/client";
import { systemActor, type Actor } from "@/lib/actor";
import type { Ctx } from "@/lib/context";
import { abortDrill, confirmManual, drillSettled, getDrillReport, skipItem, startDrill, type DrillReport } from "@/lib/drills";
import { findEnvironmentByName } from "@/lib/environments/queries";
import { REFERENCE_NAME } from "@/lib/environments/reference";
import { importRunbooks } from "@/lib/runbooks";
import { CliError, output } from "../context";
import { openDrillDatabase, referenceForDrill, type CliReference } from "./drill-reference";

// `sitrep drill run <runbook> --env <env>`: a validation drill for CI pipelines. It opens the
// database itself (no server needed; see drill-reference.ts for the reference environment and a
// console holding the embedded database), runs every item in order unattended, and exits 0 when
// nothing failed (1 otherwise; with --strict also on skips). A path instead of a slug imports
// that markdown first (a no-op when unchanged).

function parseInputs(pairs: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 1) throw new CliError(`--input takes name=value, got "${pair}"`);
    inputs[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return inputs;
}

async function resolveRunbook(ctx: Ctx, runbook: string): Promise<string> {
  if (!fs.existsSync(runbook) || !fs.statSync(runbook).isFile()) return runbook;
  const [result] = await importRunbooks(ctx, [{ name: path.resolve(runbook), bytes: new Uint8Array(fs.readFileSync(runbook)) }]);
  if (result.status === "error") throw new CliError(`Could not import ${runbook}: ${result.error}`);
  return result.slug;
}

export type DrillJson = ReturnType<typeof toJson>;

/** The report as CI reads it: one entry per item with its expectation and outcome. */
export function toJson(report: DrillReport) {
  const { drill } = report;
  return {
    id: drill.id,
    runbook: drill.runbookSlug,
    title: drill.runbookTitle,
    revision: drill.revisionNumber,
    environment: drill.environmentName,
    state: drill.state,
    result: drill.result,
    reason: drill.reason,
    pauseReason: drill.pauseReason,
    trigger: drill.trigger,
    inputs: drill.inputs,
    variables: drill.variables,
    totals: report.totals,
    steps: report.items.map((i) => ({
      position: i.position,
      kind: i.kind,
      stepId: i.stepId,
      title: i.title,
      section: i.section,
      commands: i.commands,
      source: i.source,
      ran: i.ran,
      expectation: i.expectation,
      outcome: i.outcome,
      reason: i.reason,
      exitCode: i.exitCode,
      httpStatus: i.httpStatus,
      durationMs: i.durationMs,
      results: i.results,
      attempt: i.attempt,
      earlierAttempts: i.earlier.map((e) => ({ attempt: e.attempt, outcome: e.outcome, reason: e.reason })),
      output: i.output,
    })),
    skips: report.skips,
  };
}

function text(report: DrillReport): string {
  const mark = { passed: "✓", failed: "✗", skipped: "–", pending: "·", running: "…", waiting: "?" } as const;
  const lines = report.items.map((i) => {
    const detail = i.outcome === "passed" ? "" : i.reason ? `\n      ${i.reason}` : "";
    const timing = i.durationMs !== null ? ` (${i.durationMs} ms)` : "";
    return `${mark[i.outcome]} ${i.kind.padEnd(7)} ${i.title}${timing}\n      expected: ${(i.expectation as { summary?: string }).summary ?? ""}${detail}`;
  });
  const t = report.totals;
  return [
    `Drill ${report.drill.id} of "${report.drill.runbookTitle}" rev ${report.drill.revisionNumber} on ${report.drill.environmentName}`,
    ...lines,
    ...(report.drill.pauseReason ? [`PAUSED: ${report.drill.pauseReason}`] : []),
    `${(report.drill.result ?? "not finished").replaceAll("_", " ").toUpperCase()}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.retries} retries, ${t.durationMs} ms in steps`,
  ].join("\n");
}

type RunArgs = { runbook: string; env: string; inputs: Record<string, string>; confirmManual?: boolean; confirmProduction?: boolean; cleanLeftovers?: boolean };

/**
 * Runs a drill to its end without a person: manual checks are skipped with a reason (or confirmed
 * with the flag). `--env reference` with no registered reference environment in this database
 * starts an ephemeral one for the drill (see drill-reference.ts).
 */
export async function runDrillToEnd(ctx: Ctx, args: RunArgs): Promise<DrillReport> {
  const slug = await resolveRunbook(ctx, args.runbook);
  let reference: CliReference | null = null;
  let environment = await findEnvironmentByName(ctx.db, args.env);
  if (args.env === REFERENCE_NAME && (!environment || environment.kind === "reference")) {
    reference = await referenceForDrill(ctx.db);
    environment = await findEnvironmentByName(ctx.db, args.env);
  }
  try {
    if (!environment) throw new CliError(`No environment named "${args.env}". List them in the console under Environments, or use --env reference.`);
    const drill = await startDrill(
      ctx,
      { runbookSlug: slug, environmentId: environment.id, inputs: args.inputs, mode: "auto", confirmProduction: args.confirmProduction, cleanLeftovers: args.cleanLeftovers },
      { trigger: "cli", unattended: !args.confirmManual },
    );
    const interrupt = () => void abortDrill(ctx, { drillId: drill.id, reason: "interrupted in the CLI (Ctrl-C)" }).catch(() => undefined);
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    try {
      return await followToEnd(ctx, drill.id);
    } finally {
      process.removeListener("SIGINT", interrupt);
      process.removeListener("SIGTERM", interrupt);
    }
  } finally {
    await reference?.stop();
  }
}

async function followToEnd(ctx: Ctx, drillId: string): Promise<DrillReport> {
  for (;;) {
    await drillSettled(drillId);
    const report = await getDrillReport(ctx, drillId);
    const waiting = report.items.find((i) => i.outcome === "waiting");
    if (!waiting) {
      // An aborted drill is over once its cleanup has run (finishedAt is set then).
      if (report.drill.state === "completed" || (report.drill.state === "aborted" && report.drill.finishedAt)) return report;
      // Paused by itself (the host agent was lost): that is the end for an unattended run.
      if (report.drill.state === "paused") return report;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    // Only reached with --confirm-manual: an unattended drill skips manual checks itself.
    await confirmManual(ctx, { drillId, position: waiting.position, passed: true, note: "confirmed with --confirm-manual" });
  }
}

export function register(program: Command) {
  const drill = program.command("drill").description("validation drills: run a runbook against an environment and check every step");
  drill
    .command("run")
    .description("run a drill of a runbook (slug, or a markdown file to import first) against an environment")
    .argument("<runbook>", "runbook slug or markdown file")
    .requiredOption("--env <name>", "environment name (e.g. reference)")
    .option("--input <name=value...>", "a value for a runbook input; repeat for several", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--confirm-manual", "confirm manual checks instead of skipping them")
    .option("--confirm-production", "needed to drill a production environment")
    .option("--clean-leftovers", "remove resources an earlier drill left behind (listed in the error otherwise) before starting")
    .option("--strict", "exit 1 also when the drill passed with skips")
    .option("--json", "machine-readable report: every step with its expectation and outcome")
    .action(async (runbook: string, opts: { env: string; input: string[]; confirmManual?: boolean; confirmProduction?: boolean; cleanLeftovers?: boolean; strict?: boolean; json?: boolean }) => {
      const inputs = parseInputs(opts.input);
      const opened = await openDrillDatabase();
      let report: DrillReport;
      try {
        if (opened.note) process.stderr.write(`sitrep: ${opened.note}\n`);
        const actor: Actor = { ...systemActor(), name: "Sitrep CLI", email: "cli@sitrep" };
        report = await runDrillToEnd({ actor, db: opened.database.db as Db }, { runbook, env: opts.env, inputs, confirmManual: opts.confirmManual, confirmProduction: opts.confirmProduction, cleanLeftovers: opts.cleanLeftovers });
      } finally {
        await opened.close();
      }
      output(!!opts.json, toJson(report), text(report));
      const ok = report.drill.state === "completed" && (report.drill.result === "passed" || (report.drill.result === "passed_with_skips" && !opts.strict));
      process.exitCode = ok ? 0 : 1;
    });
}
