import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/auth/permissions";
import { getIncidentDetail, listAssignableUsers, listSevDefinitions } from "@/lib/incidents";
import { findSectionsTitled } from "@/lib/runbooks";
import { playbookOfIncident } from "@/lib/triggers";
import { IncidentDetail } from "../_components/incident-detail";
import { RunbookFinder } from "../_components/runbook-finder";
import { PublicUpdatesPanel } from "../../status-admin/_components/public-updates-panel";
import { TriagePanel } from "../../triage/_components/triage-panel";

export async function generateMetadata({ params }: { params: Promise<{ ref: string }> }): Promise<Metadata> {
  return { title: (await params).ref.toUpperCase() };
}

export default async function IncidentPage({ params }: { params: Promise<{ ref: string }> }) {
  const ctx = await pageContext("incidents.read", "/incidents/[ref]");
  if (!ctx) return <Forbidden what="incidents" />;
  const { ref } = await params;
  const detail = await orNotFound(getIncidentDetail(ctx, ref));
  const [users, sevs, playbookName] = await Promise.all([listAssignableUsers(ctx), listSevDefinitions(ctx), playbookOfIncident(ctx.db, detail.incident.id)]);
  const playbook = playbookName ? { name: playbookName, sections: await findSectionsTitled(ctx.db, playbookName) } : null;
  const role = ctx.actor.role;
  return (
    <div className="max-w-7xl">
      <IncidentDetail
        initial={detail}
        people={users.map(({ id, name, role }) => ({ id, name, role }))}
        sevs={sevs.map(({ severity, name, description }) => ({ severity, name, description }))}
        me={{
          userId: ctx.actor.userId,
          canManage: can(role, "incidents.manage"),
          canNote: can(role, "incidents.note"),
          canTick: can(role, "incidents.checklist"),
          canOverride: can(role, "incidents.close_override"),
        }}
      />
      {can(role, "steps.run") && detail.incident.status !== "closed" && (
        <div className="mt-6"><RunbookFinder incidentRef={detail.incident.ref} playbook={playbook} /></div>
      )}
      <div className="mt-6"><PublicUpdatesPanel incidentId={detail.incident.id} /></div>
      <div className="mt-6"><TriagePanel incidentId={detail.incident.id} /></div>
    </div>
  );
}
