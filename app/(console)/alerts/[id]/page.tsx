import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { orNotFound } from "@/app/_lib/or-not-found";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { alertHistory, chartForAlert, durationWords, getAlert, openIncidentChoices, runbookSections } from "@/lib/alerts";
import { Markdown } from "../../incidents/_components/markdown";
import { AlertRow } from "../_components/alert-row";
import { GroupActions } from "../_components/group-actions";
import { SEVERITY_LABELS, severityClass } from "../_components/labels";
import { LocalTime } from "../_components/local-time";
import { LiveRefresh } from "../_components/live-refresh";
import { RunbookLinks } from "../_components/runbook-links";
import { SignalChart } from "../_components/signal-chart";

export const metadata: Metadata = { title: "Alert" };

const safeHref = (url: string | null) => (url && (/^https?:\/\//i.test(url) || url.startsWith("/")) ? url : undefined);

/** One alert: what fired where, its signal, its runbook's sections to read, its history, and what to do. */
export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext("alerts.read", "/alerts/[id]");
  if (!ctx) return <Forbidden what="alerts" />;
  const { id } = await params;
  const alert = await orNotFound(getAlert(ctx.db, id));
  const [chart, history, incidents] = await Promise.all([chartForAlert(ctx.db, alert), alertHistory(ctx.db, { sourceId: alert.source.id, fingerprint: alert.fingerprint }), openIncidentChoices(ctx.db)]);
  const rb = alert.runbook;
  const sections = rb ? await runbookSections(ctx.db, rb.slug, [...new Set([rb.section?.sectionId, ...rb.quick.map((q) => q.sectionId)].filter((x): x is string => !!x))]) : [];
  const role = ctx.actor.role;
  const duration = (alert.endsAt ? new Date(alert.endsAt).getTime() : Date.now()) - new Date(alert.startsAt).getTime();
  return (
    <div className="max-w-5xl space-y-5">
      <LiveRefresh />
      <p className="text-sm"><Link className="underline" href="/alerts">← Inbox</Link></p>
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          {alert.status === "firing" ? <span className={`badge ${severityClass[alert.severity]}`}>{SEVERITY_LABELS[alert.severity]}</span> : <span className="badge border border-ok text-ok">Resolved</span>}
          <span className="font-mono text-sm text-muted">{alert.name}</span>
          <span className="text-sm text-muted">from {alert.source.name}</span>
          {alert.incident && <Link className="badge border border-accent text-accent" href={`/incidents/${alert.incident.ref}`}>{alert.incident.ref} · {alert.incident.status}</Link>}
        </div>
        <h1 className="text-2xl font-bold">{alert.title}</h1>
        <p className="text-sm">
          {alert.status === "firing" ? "Firing" : "Fired"} since <LocalTime iso={alert.startsAt} withDate />
          {alert.endsAt ? <>, resolved <LocalTime iso={alert.endsAt} withDate /></> : null} — {durationWords(duration)}
          {alert.receivedCount > 1 ? ` · ${alert.receivedCount} notifications, last ` : " · received "}<LocalTime iso={alert.lastReceivedAt} />
          {alert.acked ? ` · acknowledged by ${alert.acked.by}` : ""}
          {alert.silence ? <> · silenced until <LocalTime iso={alert.silence.endsAt} /> by {alert.silence.createdBy}</> : null}
        </p>
        <p className="text-sm">Suggested <strong>{alert.routing.suggestedSeverity}</strong>{alert.routing.rule ? ` (routing rule ${alert.routing.rule.name})` : " (from its severity)"}{alert.routing.surfaces.length ? ` · surfaces ${alert.routing.surfaces.join(", ")}` : ""}{alert.routing.owner ? ` · owner ${alert.routing.owner}` : ""}</p>
        {alert.status === "firing" && <GroupActions lead={alert} group={{ incident: alert.incident }} incidents={incidents} can={{ act: can(role, "alerts.act"), declare: can(role, "incidents.declare") }} title={alert.title} />}
      </header>

      {chart && (
        <section className="panel" aria-label="Signal">
          <SignalChart title={chart.title} unit={chart.unit} series={chart.series} from={chart.from} to={chart.to} thresholds={chart.thresholds} windows={chart.windows} height={220} />
          <p className="mt-1 text-xs text-muted">Shaded: while the alert fired. Dashed: the threshold. Hover for values.</p>
        </section>
      )}

      <section className="panel space-y-3" aria-label="Runbook">
        <h2 className="text-lg font-semibold">Runbook</h2>
        <RunbookLinks alert={alert} />
        {sections.map((s) => (
          <details key={s.sectionId} className="rounded border border-line p-2" open={s.sectionId === rb?.section?.sectionId}>
            <summary className="cursor-pointer font-medium">{s.title}</summary>
            <div className="mt-2"><Markdown text={s.markdown || "_(empty section)_"} /></div>
          </details>
        ))}
      </section>

      <section className="grid gap-4 md:grid-cols-2">
        <div className="panel">
          <h2 className="mb-2 font-semibold">Labels</h2>
          <table className="table text-sm"><tbody>{Object.entries(alert.labels).map(([k, v]) => <tr key={k}><th className="font-mono text-xs">{k}</th><td className="font-mono text-xs break-all">{v}</td></tr>)}</tbody></table>
        </div>
        <div className="panel">
          <h2 className="mb-2 font-semibold">Annotations</h2>
          <table className="table text-sm"><tbody>{Object.entries(alert.annotations).map(([k, v]) => <tr key={k}><th className="font-mono text-xs">{k}</th><td className="text-xs break-all">{v}</td></tr>)}</tbody></table>
          {safeHref(alert.generatorUrl) && <p className="mt-2 text-sm"><a className="underline" href={safeHref(alert.generatorUrl)} target="_blank" rel="noreferrer noopener">Where it was generated</a></p>}
        </div>
      </section>

      {alert.group.length > 0 && (
        <section className="panel" aria-label="Same group">
          <h2 className="font-semibold">Same group</h2>
          <ul className="divide-y divide-line">{alert.group.map((a) => <AlertRow key={a.id} alert={a} />)}</ul>
        </section>
      )}

      <section className="panel" aria-label="History">
        <h2 className="mb-2 font-semibold">History of this alert</h2>
        <table className="table text-sm">
          <thead><tr><th>Fired</th><th>Resolved</th><th>Lasted</th><th>Notifications</th></tr></thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{h.id === alert.id ? <strong><LocalTime iso={h.startsAt.toISOString()} withDate /></strong> : <Link className="underline" href={`/alerts/${h.id}`}><LocalTime iso={h.startsAt.toISOString()} withDate /></Link>}</td>
                <td>{h.endsAt ? <LocalTime iso={h.endsAt.toISOString()} withDate /> : "still firing"}</td>
                <td>{durationWords((h.endsAt?.getTime() ?? Date.now()) - h.startsAt.getTime())}</td>
                <td>{h.receivedCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
