import type { Metadata } from "next";
import { EVENT_KIND_LABELS } from "@/app/_lib/labels";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/auth/permissions";
import { getIncidentState, listAssignableUsers, listSevDefinitions, listTimelinePage } from "@/lib/incidents";
import { findSectionsTitled } from "@/lib/runbooks";
import { playbookOfIncident } from "@/lib/triggers";
import { CommandView } from "../_components/command-view";
import { VIEWS, type View } from "../_components/views";
import { RunbookFinder } from "../_components/runbook-finder";
import { PublicUpdatesPanel } from "../../status-admin/_components/public-updates-panel";
import { TriagePanel } from "../../triage/_components/triage-panel";
import { AttachedAlerts } from "./attached-alerts";

export async function generateMetadata({ params }: { params: Promise<{ ref: string }> }): Promise<Metadata> {
  return { title: (await params).ref.toUpperCase() };
}

/** The command view of one incident; `?view=public-updates|triage|details` opens that tab. */
export default async function IncidentPage({ params, searchParams }: { params: Promise<{ ref: string }>; searchParams: Promise<{ view?: string | string[] }> }) {
  const ctx = (await pageContext("incidents.read", "/incidents/[ref]"))!;
  const [{ ref }, { view }] = await Promise.all([params, searchParams]);
  const state = await orNotFound(getIncidentState(ctx, ref));
  const id = state.incident.id;
  const initialView = (VIEWS as readonly string[]).includes(String(view)) ? (view as View) : "command";
  const [page, users, sevs, playbookName] = await Promise.all([
    listTimelinePage(ctx, id, { limit: 50 }),
    listAssignableUsers(ctx),
    listSevDefinitions(ctx),
    playbookOfIncident(ctx.db, id),
  ]);
  const playbook = playbookName ? { name: playbookName, sections: await findSectionsTitled(ctx.db, playbookName) } : null;
  const role = ctx.actor.role;
  return (
    <CommandView
      initialState={state}
      initialPage={page}
      initialView={initialView}
      people={users.map(({ id, name, role }) => ({ id, name, role }))}
      sevs={sevs.map(({ severity, name, description }) => ({ severity, name, description }))}
      // The event kinds' words come with the page rather than in its JavaScript.
      kindLabels={EVENT_KIND_LABELS}
      me={{
        userId: ctx.actor.userId,
        canManage: can(role, "incidents.manage"),
        canNote: can(role, "incidents.note"),
        canTick: can(role, "incidents.checklist"),
        canOverride: can(role, "incidents.close_override"),
      }}
      // Only the open tab's server panels are rendered (see Slots in command-view.tsx).
      slots={{
        alerts: <AttachedAlerts ctx={ctx} incidentId={id} />,
        publicUpdates: initialView === "public-updates" ? <PublicUpdatesPanel incidentId={id} /> : undefined,
        triage: initialView === "triage" ? <TriagePanel incidentId={id} sections={["signals", "freeze", "recovery"]} /> : undefined,
        evidence: initialView === "command" ? <TriagePanel incidentId={id} sections={["evidence"]} /> : undefined,
        runbookFinder: can(role, "steps.run") && state.incident.status !== "closed" ? <RunbookFinder incidentRef={state.incident.ref} playbook={playbook} /> : undefined,
      }}
    />
  );
}
