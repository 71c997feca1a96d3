import type { Metadata } from "next";
import Link from "next/link";
import { DueIn, Elapsed, When } from "@/app/_components/time";
import { INCIDENT_ROLE_LABELS } from "@/app/_lib/labels";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { getRunbookHealth, listDrills } from "@/lib/drills";
import { listIncidents, myAssignments, STATUS_LABELS } from "@/lib/incidents";
import { listCatalog } from "@/lib/runbooks";
import { publicUpdatesDue } from "@/lib/status/reminders";
import { listInbox } from "@/lib/alerts";
import { supervisorReport } from "@/lib/supervision";
import { ProcessHealth } from "@/app/_components/process-health";
import { sevClass } from "./incidents/_components/format";

export const metadata: Metadata = { title: "Overview" };

function Section({ id, title, count, children, empty }: { id: string; title: string; count: number; children: React.ReactNode; empty: string }) {
  return (
    <section aria-labelledby={id} className="panel space-y-3">
      <h2 id={id} className="flex items-baseline gap-2 text-lg font-semibold">
        {title} <span className={`text-sm font-normal ${count ? "text-fg" : "text-muted"}`}>{count}</span>
      </h2>
      {count === 0 ? <p className="text-sm text-muted">{empty}</p> : children}
    </section>
  );
}

/** What is on fire: open incidents by severity, firing alerts, runbooks that fail or went stale, drills running, my roles. */
export default async function OverviewPage() {
  const ctx = (await pageContext("console.read", "/"))!;
  const role = ctx.actor.role;
  const [open, mine, triggers, catalog, drills] = await Promise.all([
    can(role, "incidents.read") ? listIncidents(ctx, { status: "open" }).then((r) => r.incidents) : [],
    can(role, "incidents.read") ? myAssignments(ctx) : [],
    can(role, "alerts.read") ? listInbox(ctx.db, { onlyFiring: true, groupLimit: 50, alertsPerGroup: 1 }).then((i) => i.groups) : [],
    can(role, "runbooks.read") ? listCatalog(ctx) : [],
    can(role, "drills.read") ? listDrills(ctx, { limit: 200 }) : [],
  ]);
  const [due, health] = await Promise.all([
    publicUpdatesDue(ctx.db, open.map((i) => ({ ...i, declaredAt: new Date(i.declaredAt) }))),
    can(role, "drills.read") ? getRunbookHealth(ctx, catalog.map((r) => r.slug)) : ({} as Awaited<ReturnType<typeof getRunbookHealth>>),
  ]);
  const firing = triggers.filter((g) => g.status === "firing" && !g.silenced);
  // Failing: its last drill on the current revision failed. Stale: validation too old or outdated.
  const failing = catalog.filter((r) => health[r.slug]?.mark === "failing");
  const stale = catalog.filter((r) => r.status === "stale" && !failing.includes(r));
  const running = drills.filter((d) => d.state === "running" || d.state === "paused");
  return (
    <div className="max-w-6xl space-y-4">
      <div>
        <h1 className="text-2xl font-bold">Overview</h1>
        <p className="text-sm text-muted">What is on fire right now. Signed in as {ctx.actor.name} ({role}).</p>
      </div>

      <ProcessHealth report={supervisorReport()} />

      <Section id="mine" title="My assignments" count={mine.length} empty="You hold no role on an open incident.">
          <ul className="space-y-1 text-sm">
            {mine.map((m) => (
              <li key={`${m.incidentId}-${m.role}`} className="flex flex-wrap items-baseline gap-2">
                <span className={`badge ${sevClass[m.severity as keyof typeof sevClass]}`}>{m.severity}</span>
                <Link href={`/incidents/${m.ref}`} className="font-mono text-accent underline">{m.ref}</Link>
                <span className="min-w-0 break-words">{m.title}</span>
                <span className="text-muted">· {INCIDENT_ROLE_LABELS[m.role as keyof typeof INCIDENT_ROLE_LABELS]} since <When at={m.since} /></span>
                {m.needsAcknowledgement && <Link href={`/incidents/${m.ref}`} className="badge border border-sev2 text-sev2">acknowledge command</Link>}
              </li>
            ))}
          </ul>
        </Section>

      <Section id="open-incidents" title="Open incidents" count={open.length} empty="No open incidents.">
        <div className="space-y-3">
          {(["SEV1", "SEV2", "SEV3"] as const).map((sev) => {
            const list = open.filter((i) => i.severity === sev);
            if (!list.length) return null;
            return (
              <div key={sev}>
                <h3 className="mb-1 text-sm font-semibold">{sev} <span className="font-normal text-muted">({list.length})</span></h3>
                <ul className="space-y-2">
                  {list.map((i) => {
                    const reminder = due.get(i.id);
                    return (
                      <li key={i.id} className={`rounded-md border p-2 text-sm ${sev === "SEV1" ? "border-sev1" : "border-line"}`} data-testid="overview-incident">
                        <div className="flex flex-wrap items-baseline gap-2">
                          <span className={`badge ${sevClass[i.severity]}`}>{i.severity}</span>
                          <Link href={`/incidents/${i.ref}`} className="font-mono text-accent underline">{i.ref}</Link>
                          <Link href={`/incidents/${i.ref}`} className="min-w-0 font-medium break-words hover:underline">{i.title}</Link>
                        </div>
                        <p className="mt-1 flex flex-wrap gap-x-4 text-muted">
                          <span>{STATUS_LABELS[i.status]}</span>
                          <span>open for <Elapsed since={i.declaredAt} className="font-mono text-fg" /></span>
                          <span>commander {i.commanderName ?? "—"}</span>
                          {reminder && <span>public update <DueIn at={reminder.dueAt.toISOString()} className="font-mono text-fg" /></span>}
                        </p>
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
        </div>
      </Section>

      <div className="grid gap-4 lg:grid-cols-2">
        <Section id="firing" title="Firing alerts" count={firing.length} empty="Nothing is firing.">
          <ul className="space-y-1 text-sm">
            {firing.map((g) => (
              <li key={g.key} className="flex flex-wrap items-baseline gap-2">
                <span className="badge bg-sev1 text-white dark:text-black">{g.severity}</span>
                <Link href={`/alerts/${g.alerts[0]?.id ?? ""}`} className="font-medium text-accent underline">{g.alerts[0]?.title ?? g.key}</Link>
                <span className="text-muted">{g.firing} firing{g.oldestFiringAt ? <>, since <When at={g.oldestFiringAt} /></> : null}</span>
                {g.incident ? (
                  <Link className="text-accent underline" href={`/incidents/${g.incident.ref}`}>{g.incident.ref}</Link>
                ) : (
                  <Link className="text-accent underline" href="/alerts">Open the inbox</Link>
                )}
              </li>
            ))}
          </ul>
        </Section>

        <Section id="drills-running" title="Drills running" count={running.length} empty="No drill is running.">
          <ul className="space-y-1 text-sm">
            {running.map((d) => (
              <li key={d.id}>
                <Link href={`/drills/${d.id}`} className="text-accent underline">{d.runbookTitle}</Link>{" "}
                <span className="text-muted">on {d.environmentName}, {d.state}, started <When at={d.startedAt.toISOString()} /> by {d.startedByName}</span>
              </li>
            ))}
          </ul>
        </Section>

        <Section id="runbooks-attention" title="Runbooks failing or stale" count={failing.length + stale.length} empty="No runbook is failing its drill or out of date.">
          <ul className="space-y-1 text-sm">
            {failing.map((r) => (
              <li key={r.slug}>
                <span className="badge border border-sev1 text-sev1">failing</span>{" "}
                <Link href={`/runbooks/${r.slug}`} className="text-accent underline">{r.title}</Link>{" "}
                <span className="text-muted">last drill <a className="underline" href={health[r.slug]?.lastDrill?.href}>{health[r.slug]?.lastDrill?.label}</a> <When at={health[r.slug]?.lastDrill?.finishedAt} /></span>
              </li>
            ))}
            {stale.map((r) => (
              <li key={r.slug}>
                <span className="badge border border-sev2 text-sev2">stale</span>{" "}
                <Link href={`/runbooks/${r.slug}`} className="text-accent underline">{r.title}</Link>{" "}
                <span className="text-muted">{health[r.slug]?.staleReason ?? (r.lastValidatedAt ? "validation out of date" : "never validated on its current revision")}</span>
              </li>
            ))}
          </ul>
        </Section>
      </div>
    </div>
  );
}
