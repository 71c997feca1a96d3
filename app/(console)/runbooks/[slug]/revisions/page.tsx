import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { diffRevisions, getRunbookView, type RevisionDiff, type RunbookView } from "@/lib/runbooks";
import { withContext } from "@/lib/runbooks/line-diff";
import { formatTime } from "../../format";

export const metadata: Metadata = { title: "Runbook history" };

export default async function RevisionsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ from?: string; to?: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext("runbooks.read", `/runbooks/${slug}/revisions`);
  if (!ctx) return <Forbidden what="the runbook library" />;
  const view = await orNotFound(getRunbookView(ctx, slug));
  const sp = await searchParams;
  const newest = view.revisions[0]?.number ?? 0;
  const to = clamp(Number(sp.to) || newest, newest);
  const from = clamp(Number(sp.from) || Math.max(1, to - 1), newest);
  let diff: RevisionDiff | null = null;
  if (newest > 1 && from !== to) diff = await diffRevisions(ctx, slug, from, to);
  return (
    <div className="max-w-5xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runbooks" className="text-accent hover:underline">Runbooks</Link> ›{" "}
        <Link href={`/runbooks/${slug}`} className="text-accent hover:underline">{view.runbook.title}</Link>
      </nav>
      <h1 className="text-2xl font-bold">History of {view.runbook.title}</h1>

      <section aria-labelledby="revisions-heading">
        <h2 id="revisions-heading" className="mb-2 text-lg font-semibold">Revisions ({view.revisions.length})</h2>
        <div className="panel overflow-x-auto p-0">
          <table className="table">
            <thead>
              <tr><th scope="col">Revision</th><th scope="col">When</th><th scope="col">By</th><th scope="col">How</th><th scope="col">Change note</th><th scope="col">SHA-256</th><th scope="col">Export</th></tr>
            </thead>
            <tbody>
              {view.revisions.map((r) => (
                <tr key={r.id}>
                  <td>{r.number}{r.id === view.runbook.currentRevisionId ? " (current)" : ""}</td>
                  <td className="whitespace-nowrap">{formatTime(r.createdAt)}</td>
                  <td>{r.authorName ?? "system"}</td>
                  <td>{r.source}{r.fileName ? ` (${r.fileName})` : ""}</td>
                  <td>{r.changeNote ?? ""}</td>
                  <td className="font-mono text-xs" title={r.sha256}>{r.sha256.slice(0, 12)}</td>
                  <td><a className="text-accent underline" href={`/runbooks/${slug}/export?revision=${r.number}`} download>markdown</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {newest > 1 ? (
        <section aria-labelledby="diff-heading" className="space-y-3">
          <h2 id="diff-heading" className="text-lg font-semibold">Compare revisions</h2>
          <form className="flex flex-wrap items-end gap-2" action={`/runbooks/${slug}/revisions`}>
            <RevisionSelect name="from" label="From revision" value={from} view={view} />
            <RevisionSelect name="to" label="To revision" value={to} view={view} />
            <button type="submit" className="btn">Compare</button>
          </form>
          {diff ? <DiffTable diff={diff} /> : <p className="text-muted">Choose two different revisions.</p>}
        </section>
      ) : (
        <p className="text-muted">Only one revision so far: nothing to compare.</p>
      )}
    </div>
  );
}

function clamp(n: number, newest: number): number {
  return Math.min(Math.max(1, Math.trunc(n)), Math.max(1, newest));
}

function RevisionSelect({ name, label, value, view }: { name: string; label: string; value: number; view: RunbookView }) {
  return (
    <div>
      <label htmlFor={`rev-${name}`} className="label">{label}</label>
      <select id={`rev-${name}`} name={name} defaultValue={value} className="input w-auto">
        {view.revisions.map((r) => <option key={r.id} value={r.number}>{r.number}</option>)}
      </select>
    </div>
  );
}

function DiffTable({ diff }: { diff: RevisionDiff }) {
  const rows = withContext(diff.lines, 3);
  return (
    <div className="panel overflow-x-auto p-0">
      <table className="w-full border-collapse font-mono text-xs" aria-label={`Changes from revision ${diff.from.number} to revision ${diff.to.number}`}>
        <caption className="px-3 py-2 text-left font-sans text-sm">
          Revision {diff.from.number} → {diff.to.number}: <span className="text-ok">{diff.added} lines added</span>, <span className="text-sev1">{diff.removed} removed</span>
          {diff.to.changeNote ? ` · “${diff.to.changeNote}”` : ""}
        </caption>
        <thead className="sr-only">
          <tr><th scope="col">Old line</th><th scope="col">New line</th><th scope="col">Change</th><th scope="col">Text</th></tr>
        </thead>
        <tbody>
          {rows.map((row, i) =>
            row.kind === "skip" ? (
              <tr key={i} className="bg-bg text-muted">
                <td colSpan={4} className="px-3 py-1">… {row.count} unchanged lines …</td>
              </tr>
            ) : (
              <tr key={i} className={row.kind === "added" ? "bg-ok/10" : row.kind === "removed" ? "bg-sev1/10" : ""} data-testid={`diff-${row.kind}`}>
                <td className="w-12 px-2 text-right text-muted select-none">{row.oldNumber ?? ""}</td>
                <td className="w-12 px-2 text-right text-muted select-none">{row.newNumber ?? ""}</td>
                <td className="w-6 px-1 text-center">
                  <span aria-hidden="true">{row.kind === "added" ? "+" : row.kind === "removed" ? "−" : " "}</span>
                  <span className="sr-only">{row.kind === "added" ? "added" : row.kind === "removed" ? "removed" : "unchanged"}</span>
                </td>
                <td className="px-2 whitespace-pre-wrap">{row.text}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
