import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listReviews } from "@/lib/reviews";
import { humanState, utc } from "../incidents/[ref]/review/format";

export const metadata: Metadata = { title: "Reviews" };

export default async function ReviewsPage() {
  const ctx = await pageContext("reviews.read", "/reviews");
  if (!ctx) return <Forbidden what="reviews" />;
  const rows = await listReviews(ctx);
  const overdue = rows.filter((r) => r.deadline?.overdue).length;
  return (
    <div className="max-w-6xl space-y-4">
      <h1 className="text-2xl font-bold">Postmortem reviews</h1>
      <p className="text-sm text-muted">
        Resolved incidents and their reviews. SEV1 and SEV2 reviews are due 48 hours after resolution.
        {!can(ctx.actor.role, "reviews.read_drafts") && " You see published reviews only."}
        {overdue > 0 && <strong className="text-sev1"> {overdue} overdue.</strong>}
      </p>
      {rows.length === 0 ? (
        <p className="text-muted">No resolved incidents yet.</p>
      ) : (
        <div className="overflow-x-auto">
        <table className="table" aria-label="Reviews">
          <thead><tr><th>Incident</th><th>Severity</th><th>Resolved</th><th>Review</th><th>Due</th><th>Open follow-ups</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.incidentId}>
                <td><Link className="underline" href={`/incidents/${r.ref}/review`}>{r.ref}: {r.title}</Link></td>
                <td>{r.severity}</td>
                <td>{r.resolvedAt ? utc(r.resolvedAt) : "—"}</td>
                <td>{r.started ? humanState(r.status) : "not started"}</td>
                <td>{r.deadline ? (r.deadline.overdue ? <strong className="text-sev1">Overdue (due {utc(r.deadline.dueAt)})</strong> : utc(r.deadline.dueAt)) : "—"}</td>
                <td>{r.openFollowUps}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </div>
  );
}
