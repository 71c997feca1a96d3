import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listInbox, openIncidentChoices } from "@/lib/alerts";
import { Inbox } from "./_components/inbox";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const ctx = await pageContext("alerts.read", "/alerts");
  if (!ctx) return <Forbidden what="alerts" />;
  const [inbox, incidents] = await Promise.all([listInbox(ctx.db), openIncidentChoices(ctx.db)]);
  const role = ctx.actor.role;
  return (
    <div className="max-w-6xl space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">Alerts</h1>
        <nav aria-label="Alert settings" className="flex gap-3 text-sm">
          <Link className="underline" href="/alerts/rules">Routing and trigger rules</Link>
          <Link className="underline" href="/alerts/sources">Sources</Link>
        </nav>
      </div>
      <p className="text-sm text-muted">Alerts from Alertmanager, Grafana, other webhooks and Sitrep&apos;s own trigger rules, grouped as Alertmanager groups them. Updates live.</p>
      <Inbox initial={inbox} incidents={incidents} can={{ act: can(role, "alerts.act"), declare: can(role, "incidents.declare") }} />
    </div>
  );
}
