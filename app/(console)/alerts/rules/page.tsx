import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { durationWords, listEnvironmentNames, listRoutingRules, matcherText } from "@/lib/alerts";
import { listRules } from "@/lib/triggers";
import { ActionForm, FormField } from "../../status-admin/_components/action-form";
import { EnvironmentSignals } from "../../triage/_components/environment-signals";
import { updateRuleAction as updateTriggerRuleAction } from "../../triage/actions";
import { createRuleAction, deleteRuleAction, moveRuleAction, updateRuleAction } from "../actions";

export const metadata: Metadata = { title: "Alert rules" };

const SEVS = ["SEV1", "SEV2", "SEV3"].map((s) => ({ value: s, label: s }));

/** Routing rules (ordered label matchers → SEV, surfaces, owner, auto-declare) and Sitrep's own trigger rules. */
export default async function RulesPage() {
  const ctx = await pageContext("alerts.read", "/alerts/rules");
  if (!ctx) return <Forbidden what="alert rules" />;
  const [routing, triggers, environments] = await Promise.all([listRoutingRules(ctx.db), listRules(ctx.db), listEnvironmentNames(ctx.db)]);
  const admin = can(ctx.actor.role, "alerts.configure");
  const tuner = can(ctx.actor.role, "triggers.configure");
  return (
    <div className="max-w-5xl space-y-6">
      <p className="text-sm"><Link className="underline" href="/alerts">← Inbox</Link></p>
      <h1 className="text-2xl font-bold">Alert rules</h1>
      <section className="space-y-3" aria-labelledby="routing-heading">
        <h2 id="routing-heading" className="text-lg font-semibold">Routing rules</h2>
        <p className="text-sm text-muted">In order: the first enabled rule whose matchers all hold suggests the SEV, surfaces and owner of an alert. With auto-declare on, an alert that keeps firing that long declares an incident by Sitrep, commander to be assigned. Without a matching rule the alert&apos;s own severity suggests the SEV (critical → SEV1, warning → SEV2, else SEV3).</p>
        {routing.length === 0 && <p className="text-sm text-muted">No routing rules yet.</p>}
        <ol className="space-y-3">
          {routing.map((r, i) => (
            <li key={r.id} className="panel space-y-2" aria-label={`Routing rule ${r.name}`}>
              <p className="text-sm">
                <strong>{i + 1}. {r.name}</strong>{r.enabled ? "" : " (off)"} — <code>{matcherText(r.matchers)}</code> → {r.suggestedSeverity}
                {r.surfaces.length ? `, surfaces ${r.surfaces.join(", ")}` : ""}{r.owner ? `, owner ${r.owner}` : ""}
                {r.autoDeclare ? `, declares automatically after ${durationWords(r.autoDeclareAfterMs)} of firing` : ""}
              </p>
              {admin && (
                <>
                  <ActionForm action={updateRuleAction} label={`Edit ${r.name}`} submit="Save" className="grid gap-2 sm:grid-cols-3">
                    <RuleFields values={{ ...r, matchers: matcherText(r.matchers), surfaces: r.surfaces.join(", "), minutes: String(r.autoDeclareAfterMs / 60_000) }} />
                    <input type="hidden" name="id" value={r.id} />
                    <input type="hidden" name="version" value={r.version} />
                  </ActionForm>
                  <div className="flex gap-2">
                    <ActionForm action={moveRuleAction} label={`Move ${r.name} up`} submit="Move up" className="">
                      <input type="hidden" name="id" value={r.id} /><input type="hidden" name="version" value={r.version} /><input type="hidden" name="direction" value="up" />
                    </ActionForm>
                    <ActionForm action={moveRuleAction} label={`Move ${r.name} down`} submit="Move down" className="">
                      <input type="hidden" name="id" value={r.id} /><input type="hidden" name="version" value={r.version} /><input type="hidden" name="direction" value="down" />
                    </ActionForm>
                    <ActionForm action={deleteRuleAction} label={`Delete ${r.name}`} submit="Delete" className="" danger>
                      <input type="hidden" name="id" value={r.id} /><input type="hidden" name="version" value={r.version} />
                    </ActionForm>
                  </div>
                </>
              )}
            </li>
          ))}
        </ol>
        {admin && (
          <div className="panel">
            <h3 className="mb-2 font-medium">Add a routing rule</h3>
            <ActionForm action={createRuleAction} label="Add routing rule" submit="Add rule" className="grid gap-2 sm:grid-cols-3">
              <RuleFields values={{ name: "", matchers: "severity=critical", suggestedSeverity: "SEV1", surfaces: "", owner: "", autoDeclare: false, minutes: "5", enabled: true }} />
            </ActionForm>
          </div>
        )}
      </section>

      <section className="space-y-3" aria-labelledby="trigger-heading">
        <h2 id="trigger-heading" className="text-lg font-semibold">Sitrep trigger rules</h2>
        <p className="text-sm text-muted">Seed 002&apos;s high-severity triggers, judged after every scrape of each environment&apos;s runtime metrics. A firing rule is an alert in the inbox like any other (source &quot;Sitrep trigger rules&quot;).</p>
        {triggers.map((r) => (
          <div key={r.id} className="panel space-y-2">
            <h3 className="font-medium">{r.name} <span className="text-sm text-muted">({r.suggestedSeverity}, playbook: {r.playbook}{r.enabled ? "" : ", off"})</span></h3>
            <p className="text-sm text-muted">{r.description} {r.durationMs ? `Must hold for ${durationWords(r.durationMs)}.` : "Fires on the first evaluation it holds."}</p>
            {tuner && (
              <ActionForm action={updateTriggerRuleAction} label={`Tune ${r.name}`} submit="Save" className="flex flex-wrap items-end gap-3">
                <input type="hidden" name="id" value={r.id} />
                <input type="hidden" name="version" value={r.version} />
                <input type="hidden" name="enabled" value="false" />
                <FormField name="threshold" label="Threshold" type="number" defaultValue={String(r.threshold)} />
                <FormField name="durationMinutes" label="For at least (minutes)" type="number" defaultValue={String(r.durationMs / 60_000)} />
                <FormField name="suggestedSeverity" label="Suggested SEV" type="select" defaultValue={r.suggestedSeverity} options={SEVS} />
                <FormField name="enabled" label="Enabled" type="checkbox" defaultChecked={r.enabled} />
              </ActionForm>
            )}
          </div>
        ))}
      </section>

      {environments.map((e) => <EnvironmentSignals key={e.id} environmentId={e.id} title={`Signals the trigger rules judge on ${e.name} (last hour)`} />)}
    </div>
  );
}

type RuleValues = { name: string; matchers: string; suggestedSeverity: string; surfaces: string; owner: string; autoDeclare: boolean; minutes: string; enabled: boolean };

function RuleFields({ values }: { values: RuleValues }) {
  return (
    <>
      <FormField name="name" label="Name" defaultValue={values.name} required />
      <FormField name="matchers" label="Matchers" hint="label=value, label!=value, label=~regex, label!~regex; comma separated" defaultValue={values.matchers} required />
      <FormField name="suggestedSeverity" label="Suggested SEV" type="select" defaultValue={values.suggestedSeverity} options={SEVS} />
      <FormField name="surfaces" label="Surfaces" defaultValue={values.surfaces} />
      <FormField name="owner" label="Owner" defaultValue={values.owner} />
      <FormField name="autoDeclareAfterMinutes" label="Auto-declare after (minutes)" type="number" defaultValue={values.minutes} />
      <input type="hidden" name="autoDeclare" value="false" />
      <FormField name="autoDeclare" label="Declare automatically" type="checkbox" defaultChecked={values.autoDeclare} />
      <input type="hidden" name="enabled" value="false" />
      <FormField name="enabled" label="Enabled" type="checkbox" defaultChecked={values.enabled} />
    </>
  );
}
