import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { listDrills } from "@/lib/drills";

export const metadata: Metadata = { title: "Drills" };

export default async function DrillsPage() {
  const ctx = await pageContext("drills.read", "/drills");
  if (!ctx) return <Forbidden what="drills" />;
  const rows = await listDrills(ctx);
  return (
    <div className="max-w-5xl space-y-4">
      <h1 className="text-2xl font-bold">Validation drills</h1>
      <p className="text-muted">Start a drill from a runbook’s page (“Run drill”). Each drill records every step against its expectation; a commander or admin signs it into the runbook’s Validation Log.</p>
      {rows.length === 0 ? (
        <p className="panel text-muted">No drills yet.</p>
      ) : (
        <table className="table">
          <thead><tr><th scope="col">Runbook</th><th scope="col">Environment</th><th scope="col">State</th><th scope="col">Result</th><th scope="col">Sign-off</th><th scope="col">Started</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td><Link className="text-accent hover:underline" href={`/drills/${r.id}`}>{r.runbookTitle}</Link> <span className="text-muted">rev {r.revisionNumber}</span></td>
                <td>{r.environmentName}</td>
                <td>{r.state}</td>
                <td>{r.result ?? "–"}</td>
                <td>{r.signoff?.replaceAll("_", " ") ?? "–"}</td>
                <td>{r.startedAt.toISOString().replace("T", " ").slice(0, 16)} by {r.startedByName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
