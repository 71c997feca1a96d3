import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listAssignableUsers } from "@/lib/incidents";
import { findSectionsTitled } from "@/lib/runbooks";
import { declareDefaults, findTrigger } from "@/lib/triggers";
import { ActionForm, FormField } from "../../../status-admin/_components/action-form";
import { declareFromTriggerAction } from "../../actions";

export const metadata: Metadata = { title: "Declare from trigger" };

/** The declare form pre-filled from a firing trigger: title, suggested SEV, surface, data. */
export default async function DeclareFromTriggerPage({ params }: { params: Promise<{ stateId: string }> }) {
  const ctx = await pageContext("incidents.declare", "/triage/declare/[stateId]");
  if (!ctx) return <Forbidden what="declaring incidents" />;
  const { stateId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(stateId)) notFound();
  const trigger = await findTrigger(ctx.db, stateId);
  if (!trigger) notFound();
  const d = declareDefaults(trigger);
  const playbook = await findSectionsTitled(ctx.db, trigger.playbook);
  // Whoever declares (a responder, too) names who takes command: a commander or an admin.
  const commanders = (await listAssignableUsers(ctx)).filter((u) => can(u.role, "incidents.manage"));
  const meInCommand = can(ctx.actor.role, "incidents.manage");
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">Declare from trigger</h1>
      <p className="text-sm">
        <strong>{trigger.ruleName}</strong> on {trigger.environmentName}; playbook <em>{trigger.playbook}</em>. The trigger and its data go on the timeline.
      </p>
      {playbook.length > 0 && (
        <p className="text-sm" data-testid="declare-playbook">
          Read it while you declare:{" "}
          {playbook.map((m, i) => (
            <span key={`${m.slug}#${m.sectionId}`}>
              {i > 0 ? ", " : ""}
              <Link className="text-accent underline" href={`/runbooks/${m.slug}#doc-${m.sectionId}`} target="_blank" rel="noopener">
                {m.runbookTitle} › {m.sectionTitle}
              </Link>
            </span>
          ))}{" "}
          (opens in a new tab).
        </p>
      )}
      <ActionForm action={declareFromTriggerAction} label="Declare incident from trigger" submit="Declare">
        <input type="hidden" name="stateId" value={stateId} />
        <FormField name="title" label="Title" defaultValue={d.title} required />
        <FormField name="severity" label="Severity" type="select" defaultValue={d.severity} options={["SEV1", "SEV2", "SEV3"].map((s) => ({ value: s, label: s }))} />
        <FormField name="surfaces" label="Affected surfaces" defaultValue={d.surfaces.join(", ")} />
        <FormField
          name="commanderId"
          label="Commander"
          type="select"
          required
          defaultValue={meInCommand ? ctx.actor.userId : ""}
          options={[...(meInCommand ? [] : [{ value: "", label: "Choose who takes command" }]), ...commanders.map((u) => ({ value: u.id, label: `${u.name}${u.id === ctx.actor.userId ? " (you)" : ""} · ${u.role}` }))]}
        />
        <FormField name="summary" label="Summary" type="textarea" defaultValue={d.summary} />
      </ActionForm>
    </div>
  );
}
