"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import { createSourceAction, rotateSourceAction } from "../actions";

type Made = { id: string; name: string; webhookPath: string | null; authMode: string; secret: string };

/** The secret, once: with the lines to paste into Alertmanager, Grafana or a script. */
function ShowSecret({ made, origin }: { made: Made; origin: string }) {
  const url = `${origin}${made.webhookPath}`;
  return (
    <div role="status" className="space-y-2 rounded-md border border-ok p-3 text-sm" data-testid="new-secret">
      <p><strong>{made.name}</strong>: copy the secret now; Sitrep keeps {made.authMode === "bearer" ? "only its hash" : "it only to check signatures"} and will not show it again.</p>
      <p>Webhook URL: <code className="break-all" data-testid="webhook-url">{url}</code></p>
      <p>Secret: <code className="break-all" data-testid="webhook-secret">{made.secret}</code></p>
      {made.authMode === "bearer" ? (
        <pre className="overflow-x-auto rounded bg-bg p-2 text-xs">{`# alertmanager.yml
receivers:
  - name: sitrep
    webhook_configs:
      - url: ${url}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${made.secret}`}</pre>
      ) : (
        <pre className="overflow-x-auto rounded bg-bg p-2 text-xs">{`# Sign the raw body: X-Sitrep-Signature: sha256=HMAC_SHA256(secret, body)
# (optionally X-Sitrep-Timestamp: <unix seconds> and sign "<timestamp>.<body>")
# Grafana: contact point "Webhook", URL ${url}, HMAC signature secret = the secret.`}</pre>
      )}
    </div>
  );
}

export function CreateSourceForm({ origin }: { origin: string }) {
  const [state, action, pending] = useActionState(createSourceAction, null as ActionResult<Made> | null);
  const [kind, setKind] = useState("alertmanager");
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const err = (name: string) => (errors[name]?.length ? <p id={`src-${name}-e`} className="field-error">{errors[name].join(" ")}</p> : null);
  return (
    <div className="space-y-3">
      <form action={action} aria-label="Add alert source" className="grid gap-3 sm:grid-cols-2">
        <div>
          <label className="label" htmlFor="src-name">Name</label>
          <input id="src-name" name="name" className="input" required aria-invalid={!!errors.name} aria-describedby={errors.name ? "src-name-e" : undefined} />
          {err("name")}
        </div>
        <div>
          <label className="label" htmlFor="src-kind">Sends</label>
          <select id="src-kind" name="kind" className="input" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="alertmanager">Alertmanager webhook (v4)</option>
            <option value="grafana">Grafana alerting webhook</option>
            <option value="generic">Generic JSON (field mapping)</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="src-auth">Secret</label>
          <select id="src-auth" name="authMode" className="input" defaultValue="bearer">
            <option value="bearer">Bearer token</option>
            <option value="hmac">HMAC-SHA256 signature</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="src-group">Group by labels (when the payload has no group)</label>
          <input id="src-group" name="groupBy" className="input" defaultValue="alertname" />
        </div>
        {kind === "alertmanager" && (
          <div className="sm:col-span-2">
            <label className="label" htmlFor="src-am">Alertmanager URL (optional, for silences through its API v2)</label>
            <input id="src-am" name="alertmanagerUrl" className="input" placeholder="http://alertmanager:9093" aria-invalid={!!errors.alertmanagerUrl} aria-describedby={errors.alertmanagerUrl ? "src-alertmanagerUrl-e" : undefined} />
            {err("alertmanagerUrl")}
          </div>
        )}
        {kind === "generic" && (
          <div className="sm:col-span-2">
            <label className="label" htmlFor="src-mapping">Field mapping (JSON: dotted paths)</label>
            <textarea id="src-mapping" name="mapping" rows={4} className="input font-mono text-xs" aria-invalid={!!errors.mapping} aria-describedby={errors.mapping ? "src-mapping-e" : undefined}
              defaultValue={'{"alerts": "alerts", "title": "title", "severity": "severity", "labels": "labels", "fingerprint": "id", "status": "status", "runbookUrl": "runbook_url"}'} />
            {err("mapping")}
          </div>
        )}
        <div className="flex items-center gap-3 sm:col-span-2">
          <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Working…" : "Add source"}</button>
          {state && !state.ok && <p role="alert" className="text-sm text-sev1">{state.message}</p>}
        </div>
      </form>
      {state?.ok && <ShowSecret made={state.data} origin={origin} />}
    </div>
  );
}

export function RotateSecretForm({ id, version, name, origin }: { id: string; version: number; name: string; origin: string }) {
  const [state, action, pending] = useActionState(rotateSourceAction, null as ActionResult<Made> | null);
  return (
    <div className="space-y-2">
      <form action={action} aria-label={`New secret for ${name}`}>
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="version" value={version} />
        <button type="submit" className="btn" disabled={pending}>New secret</button>
        {state && !state.ok && <span role="alert" className="ml-2 text-sm text-sev1">{state.message}</span>}
      </form>
      {state?.ok && <ShowSecret made={state.data} origin={origin} />}
    </div>
  );
}
