import Link from "next/link";
import { getDb } from "@/db/client";
import { activeTriggers } from "@/lib/triggers";

const since = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(11, 19) + " UTC" : "");

/** Firing seed 002 triggers (and those that stopped firing recently) above every console page. */
export async function TriggerBanner({ canDeclare }: { canDeclare: boolean }) {
  const triggers = await activeTriggers(await getDb());
  if (!triggers.length) return null;
  return (
    <div className="mb-4 space-y-2" role="region" aria-label="Triggers">
      {triggers.map((t) => (
        <div key={t.stateId} role={t.firing ? "alert" : undefined} data-testid={`trigger-${t.ruleKey}`} className={`panel flex flex-wrap items-center gap-3 text-sm ${t.firing ? "border-sev1" : "opacity-80"}`}>
          <span className={`badge ${t.firing ? "bg-sev1 text-white" : ""}`}>{t.firing ? `Suggested ${t.suggestedSeverity}` : "Cleared"}</span>
          <span className="font-medium">{t.ruleName}</span>
          <span>on {t.environmentName}</span>
          <span className="text-muted">{t.firing ? `firing since ${since(t.firingSince)}` : `stopped firing at ${since(t.clearedAt)}`}</span>
          <span>Playbook: <em>{t.playbook}</em></span>
          <span className="font-mono text-xs text-muted">{Object.entries(t.data).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}</span>
          {t.declaredIncidentId ? (
            <span className="text-muted">declared</span>
          ) : (
            canDeclare && t.firing && <Link className="btn btn-primary" href={`/triage/declare/${t.stateId}`} aria-label={`Declare from trigger: ${t.ruleName}`}>Declare</Link>
          )}
        </div>
      ))}
    </div>
  );
}
