import { and, desc, eq, isNotNull } from "drizzle-orm";
import { alerts, environments, evidenceArtifacts, freezes, recoveryChecks } from "@/db/schema";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { readIncident } from "@/lib/incidents/record";
import { freezesForIncident, refusedDuringFreeze } from "@/lib/freeze";
import { listArtifacts } from "@/lib/evidence";
import { recoveryChecksFor, recoveryGate } from "@/lib/recovery";
import { signalSeries } from "@/lib/signals";
import { ActionForm, FormField, VerifyButton } from "./lazy";
import { approveAction, captureEvidenceAction, freezeAction, liftFreezeAction, overrideRecoveryAction, replayDlqAction, validateRecoveryAction } from "../actions";
import { IncidentAlerts } from "../../alerts/_components/lazy";
import { incidentAlerts } from "@/lib/alerts";
import { listRules, ruleThresholds } from "@/lib/triggers";
import { formatNumber } from "@/lib/incidents/state-machine";
import { SignalCharts, type Milestone } from "./signal-charts";

const utc = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ") + " UTC";

/** The incident's environment as triage knows it: an attached alert, freeze, evidence, validation, else the first one. */
async function incidentEnvironmentId(db: Parameters<typeof listArtifacts>[0], incidentId: string, fallback: string | undefined) {
  const [t] = await db.select({ id: alerts.environmentId }).from(alerts).where(and(eq(alerts.incidentId, incidentId), isNotNull(alerts.environmentId))).limit(1);
  if (t?.id) return t.id;
  const [f] = await db.select({ id: freezes.environmentId }).from(freezes).where(eq(freezes.incidentId, incidentId)).orderBy(desc(freezes.frozenAt)).limit(1);
  if (f) return f.id;
  const [e] = await db.select({ id: evidenceArtifacts.environmentId }).from(evidenceArtifacts).where(eq(evidenceArtifacts.incidentId, incidentId)).limit(1);
  if (e?.id) return e.id;
  const [r] = await db.select({ id: recoveryChecks.environmentId }).from(recoveryChecks).where(eq(recoveryChecks.incidentId, incidentId)).limit(1);
  return r?.id ?? fallback;
}

export type TriageSection = "signals" | "evidence" | "freeze" | "recovery";
const ALL_SECTIONS: TriageSection[] = ["signals", "evidence", "freeze", "recovery"];

/**
 * Signals, evidence, freeze and recovery validation for one incident (seed 002 in the console).
 * `sections` picks which of them to show (the command view puts evidence beside the timeline and
 * the rest in a tab); only what is shown is read.
 */
export async function TriagePanel({ incidentId, sections = ALL_SECTIONS }: { incidentId: string; sections?: TriageSection[] }) {
  const show = (s: TriageSection) => sections.includes(s);
  const ctx = await pageContext("incidents.read", "triage panel");
  if (!ctx) return null;
  const role = ctx.actor.role;
  const incident = await readIncident(ctx.db, incidentId);
  const envs = await ctx.db.select({ id: environments.id, name: environments.name }).from(environments).orderBy(environments.name);
  const environmentId = await incidentEnvironmentId(ctx.db, incidentId, envs[0]?.id);
  const environment = envs.find((e) => e.id === environmentId);
  const from = Math.min(incident.detectedAt.getTime(), Date.now() - 30 * 60_000) - 5 * 60_000;
  const to = Math.max(Date.now(), (incident.resolvedAt ?? new Date()).getTime());
  const series = environment && show("signals") ? await signalSeries(ctx.db, environment.id, new Date(from)) : [];
  const attached = await incidentAlerts(ctx.db, incidentId);
  const thresholds = ruleThresholds(await listRules(ctx.db));
  const milestones: Milestone[] = (
    [
      ["detected", incident.detectedAt],
      ["declared", incident.declaredAt],
      ["acknowledged", incident.acknowledgedAt],
      ["mitigated", incident.mitigatedAt],
      ["resolved", incident.resolvedAt],
    ] as const
  ).flatMap(([label, at]) => (at ? [{ label, at: at.toISOString() }] : []));
  const artifacts = show("evidence") ? await listArtifacts(ctx.db, incidentId) : [];
  const allFreezes = show("freeze") ? await freezesForIncident(ctx.db, incidentId) : [];
  const active = allFreezes.find((f) => !f.liftedAt);
  const refused = active && can(role, "freeze.manage") ? await refusedDuringFreeze(ctx.db, active) : [];
  const checks = show("recovery") ? await recoveryChecksFor(ctx.db, incidentId) : [];
  const gate = show("recovery") ? await recoveryGate(ctx.db, incidentId) : null;
  const envOptions = envs.map((e) => ({ value: e.id, label: e.name }));
  return (
    <section aria-labelledby={`triage-${sections.join("-")}`} className="panel space-y-6">
      <h2 id={`triage-${sections.join("-")}`} className="text-lg font-semibold">{sections.length === 1 && show("evidence") ? "Evidence" : "Triage"}{environment ? ` · ${environment.name}` : ""}</h2>

      {show("signals") && <IncidentAlerts incidentId={incidentId} initial={attached} incidentRef={formatNumber(incident.number)} />}

      {show("signals") && <div>
        <h3 className="font-medium">Signals</h3>
        <p className="mb-2 text-xs text-muted">Dotted lines: {milestones.map((m) => m.label).join(", ")}. Shaded: while an attached alert fired.</p>
        <SignalCharts series={series} from={from} to={to} milestones={milestones} windows={attached.alerts.map((a) => ({ from: a.startsAt, to: a.endsAt, label: a.name }))} thresholds={thresholds} />
      </div>}

      {show("evidence") && <div className="space-y-2">
        {sections.length > 1 && <h3 className="font-medium">Evidence</h3>}
        {artifacts.length === 0 ? (
          <p className="text-sm text-muted">Nothing captured yet.</p>
        ) : (
          <table className="table text-sm" data-testid="evidence-table">
            <thead><tr><th>Kind</th><th>Captured</th><th>SHA-256</th><th>Size</th></tr></thead>
            <tbody>
              {artifacts.map((a) => (
                <tr key={a.id}>
                  <td>{a.kind}</td>
                  <td>{utc(a.capturedAt)} by {a.capturedBy}</td>
                  <td className="font-mono text-xs">{a.sha256 ? a.sha256.slice(0, 16) + "…" : <span className="text-sev1">missing: {a.error}</span>}</td>
                  <td>{a.sizeBytes} B</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="flex flex-wrap items-start gap-4">
          {can(role, "evidence.capture") && envOptions.length > 0 && (
            <ActionForm action={captureEvidenceAction} label="Capture evidence" submit="Capture evidence" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="incidentId" value={incidentId} />
              <FormField name="environmentId" label="From environment" type="select" options={envOptions} defaultValue={environmentId} />
            </ActionForm>
          )}
          {artifacts.length > 0 && (
            <>
              <a className="btn" href={`/api/triage/incidents/${incidentId}/evidence/bundle`} download>Download bundle</a>
              <VerifyButton incidentId={incidentId} />
            </>
          )}
        </div>
      </div>}

      {show("freeze") && <div className="space-y-2">
        <h3 className="font-medium">Freeze</h3>
        {active ? (
          <p role="status" className="text-sm font-medium text-sev2" data-testid="freeze-state">
            Careful and destructive actions are frozen on {envs.find((e) => e.id === active.environmentId)?.name} since {utc(active.frozenAt)} ({active.frozenBy}).
          </p>
        ) : (
          <p className="text-sm text-muted" data-testid="freeze-state">No freeze in force.</p>
        )}
        {can(role, "freeze.manage") && !active && envOptions.length > 0 && (
          <ActionForm action={freezeAction} label="Freeze careful actions" submit="Freeze careful and destructive actions" className="flex flex-wrap items-end gap-2" danger>
            <input type="hidden" name="incidentId" value={incidentId} />
            <FormField name="environmentId" label="Environment" type="select" options={envOptions} defaultValue={environmentId} />
          </ActionForm>
        )}
        {can(role, "freeze.manage") && active && (
          <div className="flex flex-wrap gap-4">
            <ActionForm action={approveAction} label="Approve one execution" submit="Approve one execution" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="freezeId" value={active.id} />
              <FormField name="action" label="Action" type="select" options={[{ value: "dlq.replay", label: "DLQ replay" }, { value: "step.careful", label: "Careful step" }, { value: "step.destructive", label: "Destructive step" }]} />
              <FormField name="target" label="Target: DLQ job id, or runbook#step@revision" required />
              <FormField name="reason" label="Reason" required />
            </ActionForm>
            <ActionForm action={liftFreezeAction} label="Lift freeze" submit="Lift freeze">
              <input type="hidden" name="freezeId" value={active.id} />
            </ActionForm>
          </div>
        )}
        {refused.length > 0 && (
          <div className="space-y-1" data-testid="refused-requests">
            <p className="text-sm font-medium">Refused while frozen — approve exactly one run of:</p>
            {refused.map((r) => (
              <ActionForm key={`${r.action} ${r.target}`} action={approveAction} label={`Approve ${r.action} ${r.target}`} submit="Approve this one" className="flex flex-wrap items-end gap-2">
                <input type="hidden" name="freezeId" value={active!.id} />
                <input type="hidden" name="action" value={r.action} />
                <input type="hidden" name="target" value={r.target} />
                <span className="text-sm"><span className="font-mono text-xs">{r.target}</span> ({r.action}, asked by {r.by} at {utc(r.at)})</span>
                <FormField name="reason" label="Reason" required />
              </ActionForm>
            ))}
          </div>
        )}
        {active && active.approvals.length > 0 && (
          <ul className="text-sm" data-testid="approvals">
            {active.approvals.map((a) => (
              <li key={a.id}>
                <span className="font-mono text-xs">{a.id}</span> {a.action} {a.target} — {a.reason} ({a.approvedBy}){a.usedAt ? `, used ${utc(a.usedAt)} by ${a.usedBy}` : ", unused"}
              </li>
            ))}
          </ul>
        )}
        {can(role, "actions.careful") && environmentId && (
          <ActionForm action={replayDlqAction} label="Replay a DLQ entry" submit="Replay DLQ entry" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="environmentId" value={environmentId} />
            <FormField name="jobId" label="DLQ job id" required />
            <FormField name="approvalId" label="Approval id (during a freeze)" />
          </ActionForm>
        )}
      </div>}

      {show("recovery") && <div className="space-y-2">
        <h3 className="font-medium">Recovery validation</h3>
        <p className={`text-sm ${gate ? "text-sev2" : "text-ok"}`} data-testid="recovery-gate">{gate ?? "Resolving is not blocked by recovery validation."}</p>
        {checks.slice(0, 3).map((c) => (
          <div key={c.id} className="text-sm">
            <p className={c.passed ? "text-ok" : "text-sev1"}>
              {c.override ? `Overridden by ${c.ranBy}: ${c.reason}` : `${c.passed ? "Passed" : "Failed"} (${c.ranBy}, ${utc(c.ranAt)})`}
            </p>
            <ul className="ml-4 list-disc">
              {c.results.map((r) => <li key={r.check}><span className={r.passed ? "" : "font-medium text-sev1"}>{r.check}</span>: {r.detail}</li>)}
            </ul>
          </div>
        ))}
        <div className="flex flex-wrap gap-4">
          {can(role, "recovery.run") && (envOptions.length > 0 || attached.alerts.length > 0) && (
            <ActionForm action={validateRecoveryAction} label="Validate recovery" submit="Validate recovery" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="incidentId" value={incidentId} />
              <FormField
                name="environmentId"
                label="Environment"
                type="select"
                options={[...envOptions, ...(attached.alerts.length ? [{ value: "", label: "None: only the attached alerts" }] : [])]}
                defaultValue={environmentId ?? ""}
              />
              {attached.alerts.length > 0 && <FormField name="alertsQuietMinutes" label="Alerts resolved for at least (minutes)" type="number" defaultValue="10" />}
            </ActionForm>
          )}
          {can(role, "recovery.override") && gate && (
            <ActionForm action={overrideRecoveryAction} label="Override recovery validation" submit="Override" className="flex flex-wrap items-end gap-2" danger>
              <input type="hidden" name="incidentId" value={incidentId} />
              <FormField name="reason" label="Reason" required />
            </ActionForm>
          )}
        </div>
      </div>}
    </section>
  );
}
