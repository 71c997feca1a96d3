import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { DEFAULT_SCHEDULE, listSchedules, scheduleFormOptions } from "@/lib/drills";
import { ScheduleForm } from "./schedule-form";

export const metadata: Metadata = { title: "Drill schedules" };

export default async function SchedulesPage({ searchParams }: { searchParams: Promise<{ runbook?: string }> }) {
  const ctx = await pageContext("drills.read", "/drills/schedules");
  if (!ctx) return <Forbidden what="drill schedules" />;
  const { runbook } = await searchParams;
  const schedules = await listSchedules(ctx);
  const canEdit = can(ctx.actor.role, "drills.configure");
  const options = canEdit ? await scheduleFormOptions(ctx) : null;
  const editing = schedules.find((s) => s.runbookSlug === runbook);
  return (
    <div className="max-w-5xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm"><Link href="/drills" className="text-accent hover:underline">Drills</Link></nav>
      <h1 className="text-2xl font-bold">Drill schedules</h1>
      <p className="text-muted">
        Scheduled drills run unattended (manual checks are skipped with a reason) and never sign themselves off: a green one marks the runbook “drill passed, awaiting sign-off”, a red one
        marks it “failing” and notifies its owner (and webhooks subscribed to drill events). Times are UTC.
      </p>
      {schedules.length === 0 ? (
        <p className="panel text-muted">No runbook is drilled on a schedule yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table" aria-label="Drill schedules">
            <thead><tr><th scope="col">Runbook</th><th scope="col">When</th><th scope="col">Environment</th><th scope="col">Next run</th><th scope="col">Last run</th>{canEdit && <th scope="col"><span className="sr-only">Edit</span></th>}</tr></thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={s.id}>
                  <td><Link className="text-accent hover:underline" href={`/drills?runbook=${encodeURIComponent(s.runbookSlug)}`}>{s.runbookSlug}</Link></td>
                  <td>{s.describe}{s.enabled ? "" : " (off)"}</td>
                  <td>{s.environmentName ?? "(environment removed)"}</td>
                  <td>{s.enabled ? s.nextRunAt.toISOString().replace("T", " ").slice(0, 16) : "–"}</td>
                  <td>
                    {s.lastDrillId ? <Link className="text-accent hover:underline" href={`/drills/${s.lastDrillId}`}>{s.lastRunAt?.toISOString().replace("T", " ").slice(0, 16)}</Link> : "–"}
                    {s.lastError && <p className="text-sm text-sev1">Could not start: {s.lastError}</p>}
                  </td>
                  {canEdit && <td><Link className="text-accent hover:underline" href={`/drills/schedules?runbook=${encodeURIComponent(s.runbookSlug)}`}>Edit</Link></td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {options && (
        <section aria-labelledby="schedule-form-heading" className="space-y-2">
          <h2 id="schedule-form-heading" className="text-xl font-semibold">{editing ? `Change the schedule of ${editing.runbookSlug}` : "Schedule a runbook’s drill"}</h2>
          <ScheduleForm
            key={editing?.id ?? runbook ?? "new"}
            runbooks={options.runbooks}
            environments={options.environments}
            initial={{ runbookSlug: editing?.runbookSlug ?? runbook ?? "", schedule: editing?.schedule ?? DEFAULT_SCHEDULE, environmentId: editing?.environmentId ?? "", enabled: editing?.enabled ?? true }}
          />
        </section>
      )}
    </div>
  );
}
