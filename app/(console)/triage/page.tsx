import type { Metadata } from "next";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { activeTriggers, listRules } from "@/lib/triggers";
import { ActionForm, FormField } from "../status-admin/_components/action-form";
import { updateRuleAction } from "./actions";

export const metadata: Metadata = { title: "Triggers" };

export default async function TriagePage() {
  const ctx = await pageContext("triage.read", "/triage");
  if (!ctx) return <Forbidden what="triggers" />;
  const [rules, triggers] = await Promise.all([listRules(ctx.db), activeTriggers(ctx.db, 24 * 3_600_000)]);
  const admin = can(ctx.actor.role, "triggers.configure");
  return (
    <div className="max-w-5xl space-y-6">
      <h1 className="text-2xl font-bold">Triggers</h1>
      <p className="text-sm text-muted">Seed 002&apos;s high-severity triggers, evaluated after every scrape of each environment&apos;s runtime metrics.</p>
      <section className="panel">
        <h2 className="mb-2 font-semibold">Last 24 hours</h2>
        {triggers.length === 0 ? <p className="text-sm text-muted">Nothing fired.</p> : (
          <div className="overflow-x-auto">
          <table className="table text-sm">
            <thead><tr><th>Trigger</th><th>Environment</th><th>State</th><th>Data</th></tr></thead>
            <tbody>{triggers.map((t) => <tr key={t.stateId}><td>{t.ruleName}</td><td>{t.environmentName}</td><td>{t.firing ? `firing since ${t.firingSince}` : `cleared ${t.clearedAt}`}</td><td className="font-mono text-xs">{JSON.stringify(t.data)}</td></tr>)}</tbody>
          </table>
          </div>
        )}
      </section>
      <section className="space-y-3">
        <h2 className="font-semibold">Rules</h2>
        {rules.map((r) => (
          <div key={r.id} className="panel space-y-2">
            <h3 className="font-medium">{r.name} <span className="text-sm text-muted">({r.suggestedSeverity}, playbook: {r.playbook}{r.enabled ? "" : ", off"})</span></h3>
            <p className="text-sm text-muted">{r.description}</p>
            {admin ? (
              <ActionForm action={updateRuleAction} label={`Tune ${r.name}`} submit="Save" className="flex flex-wrap items-end gap-3">
                <input type="hidden" name="id" value={r.id} />
                <input type="hidden" name="version" value={r.version} />
                <FormField name="threshold" label="Threshold" type="number" defaultValue={String(r.threshold)} />
                <FormField name="durationMs" label="For at least (ms)" type="number" defaultValue={String(r.durationMs)} />
                <FormField name="suggestedSeverity" label="Suggested SEV" type="select" defaultValue={r.suggestedSeverity} options={["SEV1", "SEV2", "SEV3"].map((s) => ({ value: s, label: s }))} />
                <FormField name="enabled" label="Enabled" type="checkbox" defaultChecked={r.enabled} />
              </ActionForm>
            ) : (
              <p className="text-sm">Threshold {r.threshold}, for at least {r.durationMs} ms.</p>
            )}
          </div>
        ))}
      </section>
    </div>
  );
}
