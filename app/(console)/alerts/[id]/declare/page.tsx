import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { orNotFound } from "@/app/_lib/or-not-found";
import { pageContext } from "@/app/_lib/page-context";
import { declareDefaults, getAlert } from "@/lib/alerts";
import { ActionForm, FormField } from "../../../status-admin/_components/action-form";
import { RunbookLinks } from "../../_components/runbook-links";
import { declareFromAlertAction } from "../../actions";

export const metadata: Metadata = { title: "Declare from alert" };

/** The declare form pre-filled from an alert: title, SEV from the routing rules, surfaces, summary. */
export default async function DeclareFromAlertPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext("incidents.declare", "/alerts/[id]/declare");
  if (!ctx) return <Forbidden what="declaring incidents" />;
  const { id } = await params;
  const alert = await orNotFound(getAlert(ctx.db, id));
  const d = declareDefaults(alert);
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">Declare from alert</h1>
      <p className="text-sm">
        <Link className="underline" href={`/alerts/${alert.id}`}><strong>{alert.title}</strong></Link> from {alert.source.name}
        {alert.group.filter((a) => a.status === "firing" && !a.incident).length > 0 && <> and {alert.group.filter((a) => a.status === "firing" && !a.incident).length} more firing alerts of its group</>}. They are attached to the incident and go on its timeline.
        {alert.routing.rule ? <> SEV and surfaces from routing rule <em>{alert.routing.rule.name}</em>.</> : null}
      </p>
      {alert.incident ? (
        <p role="alert" className="text-sm text-sev1">This alert already led to <Link className="underline" href={`/incidents/${alert.incident.ref}`}>{alert.incident.ref}</Link>.</p>
      ) : (
        <>
          <div data-testid="declare-runbook"><RunbookLinks alert={alert} /></div>
          <ActionForm action={declareFromAlertAction} label="Declare incident from alert" submit="Declare">
            <input type="hidden" name="alertId" value={alert.id} />
            <FormField name="title" label="Title" defaultValue={d.title} required />
            <FormField name="severity" label="Severity" type="select" defaultValue={d.severity} options={["SEV1", "SEV2", "SEV3"].map((s) => ({ value: s, label: s }))} />
            <FormField name="surfaces" label="Affected surfaces" defaultValue={d.surfaces.join(", ")} hint="Comma separated." />
            <FormField name="summary" label="Summary" type="textarea" defaultValue={d.summary} />
          </ActionForm>
        </>
      )}
    </div>
  );
}
