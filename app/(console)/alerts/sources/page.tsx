import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listSources } from "@/lib/alerts";
import { ActionForm, FormField } from "../../status-admin/_components/action-form";
import { revokeSourceAction, updateSourceAction } from "../actions";
import { SOURCE_KIND_LABELS } from "../_components/labels";
import { LocalTime } from "../_components/local-time";
import { CreateSourceForm, RotateSecretForm } from "../_components/secret-forms";

export const metadata: Metadata = { title: "Alert sources" };

/** Where alerts come from: each source with its webhook URL, secret handling and counters. */
export default async function SourcesPage() {
  const ctx = await pageContext("alerts.read", "/alerts/sources");
  if (!ctx) return <Forbidden what="alert sources" />;
  const sources = await listSources(ctx);
  const admin = can(ctx.actor.role, "alerts.configure");
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
  return (
    <div className="max-w-5xl space-y-6">
      <p className="text-sm"><Link className="underline" href="/alerts">← Inbox</Link></p>
      <h1 className="text-2xl font-bold">Alert sources</h1>
      <p className="text-sm text-muted">Each source has its own webhook URL and secret. A payload Sitrep cannot read gets 400 with the reason and counts as rejected; a wrong, rotated or revoked secret gets 401. Nothing of a refused request is stored.</p>
      <table className="table text-sm" data-testid="sources-table">
        <thead><tr><th>Source</th><th>Webhook</th><th>Accepted</th><th>Rejected</th><th>Last received</th><th>Last error</th></tr></thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.id}>
              <td><strong>{s.name}</strong><br /><span className="text-xs text-muted">{SOURCE_KIND_LABELS[s.kind]}{s.kind !== "sitrep" ? ` · ${s.authMode === "bearer" ? "bearer token" : "HMAC"}` : ""}{s.revokedAt ? " · revoked" : ""}</span></td>
              <td className="font-mono text-xs break-all">{s.webhookPath ? `${origin}${s.webhookPath}` : "built in"}</td>
              <td>{s.acceptedCount.toLocaleString()}</td>
              <td className={s.rejectedCount ? "text-sev2" : ""}>{s.rejectedCount.toLocaleString()}</td>
              <td>{s.lastReceivedAt ? <LocalTime iso={s.lastReceivedAt.toISOString()} withDate /> : "never"}</td>
              <td className="text-xs">{s.lastError ? <>{s.lastError} ({s.lastErrorAt ? <LocalTime iso={s.lastErrorAt.toISOString()} /> : null})</> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {admin && (
        <>
          <section className="panel space-y-3">
            <h2 className="text-lg font-semibold">Add a source</h2>
            <CreateSourceForm origin={origin} />
          </section>
          {sources.filter((s) => s.kind !== "sitrep").map((s) => (
            <section key={s.id} className="panel space-y-3" aria-label={`Manage ${s.name}`}>
              <h2 className="font-semibold">{s.name}</h2>
              <div className="flex flex-wrap items-start gap-4">
                <RotateSecretForm id={s.id} version={s.version} name={s.name} origin={origin} />
                {!s.revokedAt && (
                  <ActionForm action={revokeSourceAction} label={`Revoke ${s.name}`} submit="Revoke secret" danger>
                    <input type="hidden" name="id" value={s.id} />
                    <input type="hidden" name="version" value={s.version} />
                  </ActionForm>
                )}
              </div>
              <ActionForm action={updateSourceAction} label={`Settings of ${s.name}`} submit="Save" className="grid gap-3 sm:grid-cols-2">
                <input type="hidden" name="id" value={s.id} />
                <input type="hidden" name="version" value={s.version} />
                <FormField name="alertmanagerUrl" label="Alertmanager URL (for silences)" defaultValue={s.alertmanagerUrl ?? ""} />
                <FormField name="groupBy" label="Group by labels" defaultValue={s.groupBy.join(", ")} />
                {s.kind === "generic" && <FormField name="mapping" label="Field mapping (JSON)" type="textarea" monospace rows={4} defaultValue={JSON.stringify(s.mapping ?? {})} className="sm:col-span-2" />}
              </ActionForm>
            </section>
          ))}
        </>
      )}
    </div>
  );
}
