import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { getDrillReport, RESULT_LABELS, type DrillReport, type DrillResult } from "@/lib/drills";
import { drillFingerprint } from "@/lib/drills/live";
import { NotFoundError } from "@/lib/errors";
import { PlanPanel } from "../plan-panel";
import { ConfirmForm, DrillControls, RetryButton, SkipForm } from "./controls";
import { LiveDrill, LiveOutput } from "./live-refresh";
import { SignOffForm } from "./signoff-form";

export const metadata: Metadata = { title: "Drill report" };

const FOLD_AT = 1200;
const outcomeClass: Record<string, string> = { passed: "text-ok", failed: "text-sev1", skipped: "text-sev3", waiting: "text-accent", running: "text-accent", pending: "text-muted" };
const resultClass: Record<DrillResult, string> = { passed: "text-ok", passed_with_skips: "text-sev3", failed: "text-sev1" };

type Item = DrillReport["items"][number];
type Ran = { kind?: string; method?: string; url?: string; body?: unknown; agent?: string; plan?: { commands?: Array<{ text: string; expect?: string }>; inputs?: Record<string, unknown> } };
type CommandResultView = { ordinal: number; exitCode?: number | null; httpStatus?: number; met: boolean; expected: string; durationMs: number; assertions?: Array<{ text: string; expected: string; observed: string | null; ok: boolean; enforced: boolean }> };

function exactly(ran: unknown[]): string[] {
  return (ran as Ran[]).flatMap((r) => {
    if (r.kind === "http") return [`${r.method} ${r.url}${r.body !== undefined ? `\n${JSON.stringify(r.body)}` : ""}`];
    if (r.plan?.commands) return [`# on host agent ${r.agent ?? ""}${r.plan.inputs && Object.keys(r.plan.inputs).length ? ` with inputs ${JSON.stringify(r.plan.inputs)}` : ""}`, ...r.plan.commands.map((c) => `${c.text}${c.expect === "failure" ? "   # expected to fail" : ""}`)];
    return [JSON.stringify(r)];
  });
}

function Output({ text }: { text: string }) {
  if (!text) return null;
  if (text.length <= FOLD_AT) return <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-bg p-2 text-xs">{text}</pre>;
  return (
    <details>
      <summary className="cursor-pointer text-sm">Output ({text.length.toLocaleString()} characters, folded)</summary>
      <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-bg p-2 text-xs">{text}</pre>
    </details>
  );
}

function ItemCard({ item, drillId, canRun, finished, number }: { item: Item; drillId: string; canRun: boolean; finished: boolean; number: number }) {
  const lines = exactly(item.ran as unknown[]);
  const results = item.results as CommandResultView[];
  const expectation = item.expectation as { summary?: string; note?: string };
  return (
    <li className="panel space-y-2" aria-label={item.title} id={`item-${item.position}`} data-position={item.position}>
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="text-sm text-muted">{number}.</span>
        <span className="badge">{item.kind}</span>
        <h3 className="font-semibold">{item.title}</h3>
        <span className={`font-semibold ${outcomeClass[item.outcome]}`} data-outcome={item.outcome}>{item.outcome}</span>
        {item.attempt > 1 && <span className="text-sm text-muted">attempt {item.attempt}</span>}
      </div>
      {item.section && <p className="text-xs text-muted">{item.section}</p>}
      <dl className="grid gap-x-4 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-muted">Expected</dt>
        <dd>{expectation.summary}{expectation.note ? ` — ${expectation.note}` : ""}</dd>
        {item.exitCode !== null && (<><dt className="text-muted">Exit code</dt><dd>{item.exitCode}</dd></>)}
        {item.httpStatus !== null && (<><dt className="text-muted">HTTP status</dt><dd>{item.httpStatus}</dd></>)}
        {item.durationMs !== null && (<><dt className="text-muted">Duration</dt><dd>{item.durationMs} ms</dd></>)}
        {item.reason && (
          <>
            <dt className="text-muted">{item.outcome === "failed" ? "Why it failed" : item.outcome === "skipped" ? "Skipped" : "Note"}</dt>
            <dd>{item.outcome === "skipped" && item.decidedByName ? `by ${item.decidedByName}: ` : ""}{item.reason}</dd>
          </>
        )}
      </dl>
      <div>
        <p className="text-xs font-medium text-muted">{lines.length ? "Exactly what ran" : "As written"}</p>
        <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-bg p-2 text-xs">{(lines.length ? lines : [item.source]).join("\n")}</pre>
      </div>
      {results.length > 0 && (
        <table className="table text-sm">
          <thead><tr><th scope="col">Command</th><th scope="col">Expected</th><th scope="col">Got</th><th scope="col">Met</th><th scope="col">Assertions</th></tr></thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.ordinal}>
                <td>{r.ordinal}</td>
                <td>{r.expected}</td>
                <td>{r.httpStatus !== undefined ? `HTTP ${r.httpStatus}` : `exit ${r.exitCode ?? "–"}`} in {r.durationMs} ms</td>
                <td className={r.met ? "text-ok" : "text-sev1"}>{r.met ? "yes" : "no"}</td>
                <td>{(r.assertions ?? []).map((a) => `${a.ok ? "✓" : "✗"} ${a.expected} (got ${a.observed ?? "nothing"})${a.enforced ? "" : " not enforced"}`).join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {item.outcome === "running" && item.executionId ? <LiveOutput executionId={item.executionId} /> : <Output text={item.output} />}
      {item.earlier.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer">Earlier attempts ({item.earlier.length})</summary>
          <ul className="ml-5 list-disc">
            {item.earlier.map((e) => <li key={e.id}>Attempt {e.attempt}: {e.outcome}{e.reason ? ` — ${e.reason}` : ""}{e.executionId ? ` (execution ${e.executionId.slice(0, 8)})` : ""}</li>)}
          </ul>
        </details>
      )}
      {canRun && !finished && item.outcome === "waiting" && <ConfirmForm drillId={drillId} position={item.position} title={item.title} />}
      {canRun && (item.outcome === "failed" || (item.outcome === "skipped" && item.kind !== "cleanup")) && !finished && <RetryButton drillId={drillId} position={item.position} />}
      {canRun && item.kind !== "cleanup" && ["pending", "waiting", "failed"].includes(item.outcome) && <SkipForm drillId={drillId} position={item.position} title={item.title} />}
    </li>
  );
}

export default async function DrillPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext("drills.read", `/drills/${id}`);
  if (!ctx) return <Forbidden what="drill reports" />;
  let report: DrillReport;
  try {
    report = await getDrillReport(ctx, id);
  } catch (error) {
    if (error instanceof NotFoundError || (error as { code?: string }).code === "22P02") notFound();
    throw error;
  }
  const { drill, totals } = report;
  const finished = drill.state === "completed" || (drill.state === "aborted" && drill.finishedAt !== null);
  const canRun = can(ctx.actor.role, "drills.run");
  const canSign = can(ctx.actor.role, "drills.signoff");
  const busy = totals.running > 0;
  // The server decides again at sign-off; this only offers what it would accept.
  const allowed: Array<"pass" | "pass_with_notes" | "fail"> = drill.result === "failed" || drill.state === "aborted" ? ["fail"] : drill.result === "passed_with_skips" ? ["pass_with_notes", "fail"] : ["pass", "pass_with_notes", "fail"];
  const fingerprint = await drillFingerprint(ctx.db, drill.id);
  const runningIndex = report.items.findIndex((i) => i.outcome === "running");
  const result = drill.result as DrillResult | null;
  return (
    <div className="max-w-5xl space-y-6">
      <nav aria-label="Breadcrumb" className="flex gap-2 text-sm">
        <Link href="/drills" className="text-accent hover:underline">Drills</Link>
        <span>·</span>
        <Link href={`/runbooks/${drill.runbookSlug}`} className="text-accent hover:underline">{drill.runbookTitle}</Link>
      </nav>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">Drill of “{drill.runbookTitle}”</h1>
        <p className="text-sm text-muted">
          Revision {drill.revisionNumber} · environment {drill.environmentName} · started by {drill.startedByName} on {drill.startedAt.toISOString().replace("T", " ").slice(0, 19)} UTC · {drill.mode === "auto" ? "all steps in order" : "one step at a time"}
        </p>
        <p>
          State: <strong data-testid="drill-state">{drill.state}</strong>
          {result && <> · Result: <strong className={resultClass[result] ?? ""} data-testid="drill-result">{RESULT_LABELS[result] ?? result}</strong></>}
          {drill.trigger !== "person" && <span className="text-sm text-muted"> · {drill.trigger === "schedule" ? "scheduled, unattended" : "from the CLI"}</span>}
        </p>
        <p role="status" aria-live="polite" className="text-sm font-medium" data-testid="drill-progress">
          {runningIndex >= 0
            ? `Running step ${runningIndex + 1} of ${report.items.length}: ${report.items[runningIndex].title}`
            : drill.state === "aborted" && !drill.finishedAt
              ? "Aborting: running the cleanup."
              : totals.waiting
                ? `Waiting for a person: step ${report.items.findIndex((i) => i.outcome === "waiting") + 1} of ${report.items.length}.`
                : drill.state === "running" && totals.pending
                  ? drill.mode === "step"
                    ? `Next: step ${report.items.findIndex((i) => i.outcome === "pending") + 1} of ${report.items.length}.`
                    : "Starting the next step…"
                  : ""}
        </p>
        {drill.pauseReason && drill.state === "paused" && <p className="rounded border border-sev2 p-2 text-sm" role="alert" data-testid="drill-pause-reason">{drill.pauseReason}</p>}
        {drill.reason && <p className="text-sm">{drill.reason}</p>}
        <LiveDrill drillId={drill.id} fingerprint={fingerprint} />
        {canRun && <DrillControls drillId={drill.id} state={drill.state} mode={drill.mode} busy={busy} waiting={totals.waiting > 0} />}
      </header>

      <section aria-labelledby="totals-heading" className="panel">
        <h2 id="totals-heading" className="sr-only">Totals</h2>
        <p className="text-sm">
          {totals.items} items: <span className="text-ok">{totals.passed} passed</span>, <span className="text-sev1">{totals.failed} failed</span>, <span className="text-sev3">{totals.skipped} skipped</span>
          {totals.pending ? `, ${totals.pending} pending` : ""}{totals.waiting ? `, ${totals.waiting} waiting for a person` : ""}{totals.running ? `, ${totals.running} running` : ""} · {totals.retries} retries · {(totals.durationMs / 1000).toFixed(1)} s in steps
        </p>
        {report.skips.length > 0 && (
          <p className="mt-2 text-sm">
            Skipped (reasons with each step below):{" "}
            {report.items.filter((i) => i.outcome === "skipped" && (i.kind === "step" || i.kind === "manual")).map((i, n) => (
              <span key={i.id}>{n > 0 ? ", " : ""}<a className="text-accent underline" href={`#item-${i.position}`}>{i.title}</a></span>
            ))}
          </p>
        )}
        {Object.keys(drill.inputs as object).length > 0 && <p className="mt-2 text-xs text-muted">Inputs: {Object.entries(drill.inputs as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(", ")}</p>}
        {Object.keys(drill.variables).length > 0 && <p className="text-xs text-muted">Captured or created: {Object.entries(drill.variables).map(([k, v]) => `${k}=${v}`).join(", ")}</p>}
      </section>

      <section aria-labelledby="signoff-heading" className="space-y-2">
        <h2 id="signoff-heading" className="text-xl font-semibold">Sign-off</h2>
        {report.signoff ? (
          <p className="panel">
            Signed off as <strong>{report.signoff.result.replaceAll("_", " ")}</strong> by {report.signoff.signedByName} on {report.signoff.signedAt.toISOString().slice(0, 10)}
            {report.signoff.notes ? ` — ${report.signoff.notes}` : ""}. The runbook’s <Link className="text-accent underline" href={`/runbooks/${drill.runbookSlug}#validation-log`}>Validation Log</Link> has the row.
          </p>
        ) : !finished ? (
          <p className="text-muted">The drill can be signed off once it has finished.</p>
        ) : canSign ? (
          <SignOffForm
            drillId={drill.id}
            allowed={allowed}
            hint={`${allowed.length === 1 ? "This drill failed or was aborted: it can only be signed off as a fail." : drill.result === "passed_with_skips" ? `It passed with skips (${report.skips.length}): a plain pass is not possible.` : "Every step met its expectation."}${report.requireIndependentSigner ? " Someone other than the person who ran it must sign." : ""}`}
          />
        ) : (
          <p className="text-muted">A commander or admin signs drills off.</p>
        )}
      </section>

      <PlanPanel origin="" summary={report.plan.summary} lines={report.planLines} />

      <section aria-labelledby="items-heading" className="space-y-3">
        <h2 id="items-heading" className="text-xl font-semibold">Steps</h2>
        <ol className="space-y-3">
          {report.items.map((item, n) => <ItemCard key={item.id} item={item} drillId={drill.id} canRun={canRun} finished={finished} number={n + 1} />)}
        </ol>
      </section>
    </div>
  );
}
