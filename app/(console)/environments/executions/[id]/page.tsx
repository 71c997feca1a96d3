import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getExecutionWithOutput, type CommandResult, type Capture } from "@/lib/executions";

export const metadata: Metadata = { title: "Execution" };

const stateClass: Record<string, string> = { running: "text-muted", succeeded: "text-ok", failed: "text-sev1", lost: "text-sev2", cancelled: "text-muted" };

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext("runbooks.read", `/environments/executions/${id}`);
  if (!ctx) return <Forbidden what="step executions" />;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const data = await orNotFound(getExecutionWithOutput(ctx, id, 0));
  const { execution: x, chunks } = data;
  const results = x.results as CommandResult[];
  const captures = x.captures as Capture[];
  return (
    <div className="max-w-5xl space-y-6">
      <h1 className="text-2xl font-bold">Execution of “{x.stepTitle || x.stepId}”</h1>
      <p className={`text-lg font-semibold ${stateClass[x.state]}`} data-testid="stored-state">
        {x.state}
        {x.expectationMet !== null ? ` · expectation ${x.expectationMet ? "met" : "not met"}` : ""}
      </p>
      {x.reason && <p role={x.state === "succeeded" ? undefined : "alert"}>{x.reason}</p>}
      <dl className="panel grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="text-muted">Runbook</dt>
        <dd><Link href={`/runbooks/${encodeURIComponent(x.runbookSlug)}#s-${x.stepId}`} className="underline">{x.runbookSlug}</Link> · step {x.stepId}</dd>
        <dt className="text-muted">Run by</dt><dd>{x.startedByEmail}</dd>
        <dt className="text-muted">For incident</dt>
        <dd>{x.incidentRef ? <Link className="text-accent underline" href={`/incidents/${x.incidentRef}`}>{x.incidentRef}</Link> : "— (none named)"}</dd>
        <dt className="text-muted">Environment</dt><dd>{x.environmentName}</dd>
        <dt className="text-muted">Host</dt><dd>{x.host ?? "— (HTTP only, run by the console)"}</dd>
        <dt className="text-muted">Started</dt><dd>{x.startedAt.toISOString().replace("T", " ").slice(0, 23)} UTC</dd>
        <dt className="text-muted">Finished</dt><dd>{x.finishedAt ? `${x.finishedAt.toISOString().replace("T", " ").slice(0, 23)} UTC (${x.durationMs} ms)` : "still running"}</dd>
        <dt className="text-muted">Exit code / HTTP status</dt><dd>{x.exitCode ?? "—"} / {x.httpStatus ?? "—"}</dd>
        <dt className="text-muted">Inputs</dt><dd className="font-mono text-xs">{JSON.stringify(x.inputs)}</dd>
        <dt className="text-muted">Captured</dt><dd className="font-mono text-xs">{captures.length ? captures.map((c) => `${c.variable}=${c.value}`).join(", ") : "—"}</dd>
      </dl>
      <section aria-labelledby="ran">
        <h2 id="ran" className="mb-2 text-lg font-semibold">What ran</h2>
        <pre className="panel overflow-x-auto font-mono text-xs" data-testid="what-ran">{JSON.stringify(x.ran, null, 2)}</pre>
      </section>
      {results.length > 0 && (
        <section aria-labelledby="results">
          <h2 id="results" className="mb-2 text-lg font-semibold">Commands</h2>
          <table className="table panel p-0">
            <thead><tr><th scope="col">#</th><th scope="col">Kind</th><th scope="col">Result</th><th scope="col">Expected</th><th scope="col">Met</th><th scope="col">Duration</th></tr></thead>
            <tbody>
              {results.map((r, i) => (
                <tr key={i}>
                  <td>{r.ordinal}</td><td>{r.kind}</td>
                  <td>{r.kind === "http" ? `HTTP ${r.httpStatus}` : `exit ${r.exitCode ?? r.signal}`}</td>
                  <td>{r.expected}</td><td>{r.met ? "yes" : "no"}</td><td>{r.durationMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section aria-labelledby="output">
        <h2 id="output" className="mb-2 text-lg font-semibold">Output</h2>
        <pre className="panel max-h-[32rem] overflow-auto font-mono text-xs whitespace-pre-wrap" aria-label="Stored output">
          {chunks.map((c) => (
            <span key={c.seq} className={c.stream === "stderr" ? "text-sev1" : c.stream === "info" ? "text-muted" : ""}>{c.text}</span>
          ))}
        </pre>
      </section>
    </div>
  );
}
