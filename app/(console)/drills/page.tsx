import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listDrills, RESULT_LABELS, type DrillResult } from "@/lib/drills";

export const metadata: Metadata = { title: "Drills" };

const resultClass: Record<string, string> = { passed: "text-ok", passed_with_skips: "text-sev3", failed: "text-sev1" };

function duration(ms: number | null): string {
  if (ms === null) return "–";
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Every drill, newest first; `?runbook=<slug>` narrows it to one runbook's drill history. */
export default async function DrillsPage({ searchParams }: { searchParams: Promise<{ runbook?: string }> }) {
  const ctx = await pageContext("drills.read", "/drills");
  if (!ctx) return <Forbidden what="drills" />;
  const { runbook } = await searchParams;
  const slug = typeof runbook === "string" && runbook.trim() ? runbook.trim().slice(0, 200) : undefined;
  const rows = await listDrills(ctx, { runbookSlug: slug });
  return (
    <div className="max-w-6xl space-y-4">
      <h1 className="text-2xl font-bold">{slug ? `Drill history of ${rows[0]?.runbookTitle ?? slug}` : "Validation drills"}</h1>
      <p className="text-muted">
        Start a drill from a runbook’s page (“Run drill”). Each drill records every step against its expectation; a commander or admin signs it into the runbook’s Validation Log.{" "}
        {can(ctx.actor.role, "drills.read") && <Link className="text-accent underline" href="/drills/schedules">Drill schedules</Link>}
        {slug && <> · <Link className="text-accent underline" href="/drills">All drills</Link></>}
      </p>
      {rows.length === 0 ? (
        <p className="panel text-muted">No drills yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table" aria-label={slug ? "Drill history" : "Drills"}>
            <thead>
              <tr><th scope="col">Date</th><th scope="col">Runbook</th><th scope="col">Revision</th><th scope="col">Environment</th><th scope="col">State</th><th scope="col">Result</th><th scope="col">Duration</th><th scope="col">Signed off</th><th scope="col">Started by</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td><Link className="text-accent hover:underline" href={`/drills/${r.id}`}>{r.startedAt.toISOString().replace("T", " ").slice(0, 16)}</Link></td>
                  <td><Link className="hover:underline" href={`/drills?runbook=${encodeURIComponent(r.runbookSlug)}`}>{r.runbookTitle}</Link></td>
                  <td>{r.revisionNumber}</td>
                  <td>{r.environmentName}</td>
                  <td>{r.state}</td>
                  <td className={r.result ? resultClass[r.result] : ""}>{r.result ? (RESULT_LABELS[r.result as DrillResult] ?? r.result) : "–"}</td>
                  <td>{duration(r.durationMs)}</td>
                  <td>{r.signoff ? `${r.signoff.replaceAll("_", " ")} by ${r.signedByName}` : "–"}</td>
                  <td>{r.trigger === "schedule" ? "scheduler" : r.trigger === "cli" ? "CLI" : r.startedByName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
