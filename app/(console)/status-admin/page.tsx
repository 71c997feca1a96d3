import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listIncidents } from "@/lib/incidents";
import { getStatusAdmin, STATE_LABELS, UPDATE_LABELS } from "@/lib/status";
import {
  archiveComponentAction,
  cancelMaintenanceAction,
  createComponentAction,
  publishComponentStateAction,
  removeSubscriberAction,
  scheduleMaintenanceAction,
  setSubscriberActiveAction,
  updateCadenceAction,
  updateSettingsAction,
  updateTemplateAction,
} from "./actions";
import { ActionForm, CheckboxList, FormField } from "./_components/action-form";
import { CreateWebhookForm } from "./_components/create-webhook-form";

export const metadata: Metadata = { title: "Status page" };

const stateOptions = Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label }));
const utc = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

export default async function StatusAdminPage() {
  const ctx = await pageContext("status.publish", "/status-admin");
  if (!ctx) return <Forbidden what="the status page administration" />;
  const data = await getStatusAdmin(ctx);
  const { incidents: open } = await listIncidents(ctx, { status: "open" });
  const isAdmin = can(ctx.actor.role, "status.manage");
  const mayPublishStates = can(ctx.actor.role, "status.components");
  const componentOptions = data.components.map((c) => ({ value: c.id, label: c.name }));
  return (
    <div className="max-w-5xl space-y-8">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">Status page</h1>
        <a href="/status" className="underline">Open the public page</a>
      </div>

      <section aria-labelledby="open-incidents">
        <h2 id="open-incidents" className="mb-2 text-lg font-semibold">Open incidents</h2>
        {open.length === 0 ? (
          <p className="text-sm text-muted">No open incidents.</p>
        ) : (
          <ul className="panel space-y-1">
            {open.map((i) => (
              <li key={i.id}>
                <Link className="underline" href={`/status-admin/incidents/${i.id}`}>{i.ref} · {i.severity} · {i.title}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="components">
        <h2 id="components" className="mb-2 text-lg font-semibold">Components</h2>
        <p className="mb-2 text-sm text-muted">The health board suggests a state; a person publishes it.</p>
        <div className="panel overflow-x-auto p-0">
          <table className="table">
            <thead>
              <tr><th scope="col">Component</th><th scope="col">Surface</th><th scope="col">Published</th><th scope="col">Suggested</th><th scope="col">Publish</th></tr>
            </thead>
            <tbody>
              {data.components.length === 0 && <tr><td colSpan={5} className="text-muted">No components yet.</td></tr>}
              {data.components.map((c) => (
                <tr key={c.id}>
                  <td><strong>{c.name}</strong><br /><span className="text-xs text-muted">{c.groupName}</span></td>
                  <td className="text-sm">{c.surfaceLabel ?? <span className="text-muted">none</span>}{c.health && <span className="text-muted"> ({c.health})</span>}</td>
                  <td className="text-sm">{STATE_LABELS[c.state]}{c.lastPublishedBy && <span className="block text-xs text-muted">by {c.lastPublishedBy}, {utc(c.stateChangedAt)}</span>}</td>
                  <td className="text-sm" data-testid="suggestion">{c.suggestion ? <>{STATE_LABELS[c.suggestion.state]}<span className="block text-xs text-muted">{c.suggestion.reason}</span></> : <span className="text-muted">no signal</span>}</td>
                  <td>
                    {mayPublishStates && (
                      <ActionForm action={publishComponentStateAction} label={`Publish state of ${c.name}`} submit="Publish" className="flex flex-wrap items-end gap-2">
                        <input type="hidden" name="componentId" value={c.id} />
                        <input type="hidden" name="version" value={c.version} />
                        <FormField name="state" label={`State of ${c.name}`} type="select" options={stateOptions} defaultValue={c.suggestion?.state ?? c.state} />
                      </ActionForm>
                    )}
                    {isAdmin && (
                      <ActionForm action={archiveComponentAction} label={`Remove ${c.name}`} submit="Remove" danger className="mt-1 flex gap-2">
                        <input type="hidden" name="componentId" value={c.id} />
                        <input type="hidden" name="version" value={c.version} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {isAdmin && (
          <div className="panel mt-3">
            <h3 className="mb-2 font-semibold">Add component</h3>
            <ActionForm action={createComponentAction} label="Add component" submit="Add component" className="grid gap-3 sm:grid-cols-2">
              <FormField name="name" label="Public name" required />
              <FormField name="groupName" label="Group" defaultValue="Services" />
              <FormField name="description" label="Description" />
              <FormField name="position" label="Position" type="number" defaultValue="0" />
              <FormField
                name="surfaceId"
                label="Surface"
                type="select"
                hint="Surfaces of the environments chosen below; the health board suggests states from them."
                options={[{ value: "", label: "None" }, ...data.surfaces.map((s) => ({ value: s.id, label: `${s.environmentName} · ${s.name}` }))]}
              />
            </ActionForm>
          </div>
        )}
      </section>

      <section aria-labelledby="maintenance">
        <h2 id="maintenance" className="mb-2 text-lg font-semibold">Maintenance</h2>
        <ul className="mb-3 space-y-2">
          {data.maintenance.length === 0 && <li className="text-sm text-muted">No maintenance windows.</li>}
          {data.maintenance.map((m) => (
            <li key={m.id} className="panel text-sm">
              <strong>{m.title}</strong> · {utc(m.startsAt)} to {utc(m.endsAt)}
              {m.cancelledAt ? <span className="text-muted"> · cancelled</span> : null}
              {!m.cancelledAt && m.endsAt.getTime() > Date.now() && mayPublishStates && (
                <ActionForm action={cancelMaintenanceAction} label={`Cancel ${m.title}`} submit="Cancel window" danger className="mt-2 flex gap-2">
                  <input type="hidden" name="windowId" value={m.id} />
                  <input type="hidden" name="version" value={m.version} />
                </ActionForm>
              )}
            </li>
          ))}
        </ul>
        {mayPublishStates && (
          <div className="panel">
            <h3 className="mb-2 font-semibold">Schedule maintenance</h3>
            <ActionForm action={scheduleMaintenanceAction} label="Schedule maintenance" submit="Schedule" className="grid gap-3 sm:grid-cols-2">
              <FormField name="title" label="Title" required />
              <FormField name="message" label="Message" />
              <FormField name="startsAt" label="Starts (UTC)" type="datetime-local" required />
              <FormField name="endsAt" label="Ends (UTC)" type="datetime-local" required />
              <CheckboxList name="componentIds" legend="Components" options={componentOptions} />
            </ActionForm>
          </div>
        )}
      </section>

      {isAdmin && data.settings && (
        <section aria-labelledby="settings">
          <h2 id="settings" className="mb-2 text-lg font-semibold">Settings</h2>
          <div className="panel">
            <ActionForm action={updateSettingsAction} label="Status page settings" submit="Save settings">
              <input type="hidden" name="version" value={data.settings.version} />
              <FormField name="title" label="Page title" defaultValue={data.settings.title} required />
              <FormField name="description" label="Page description" defaultValue={data.settings.description} />
              <FormField name="requireSignIn" label="Require sign-in (any role, viewers included)" type="checkbox" defaultChecked={data.settings.requireSignIn} />
              <CheckboxList name="environmentIds" legend="Environments whose surfaces feed the page" options={data.environments.map((e) => ({ value: e.id, label: `${e.name} (${e.kind})` }))} checked={data.settings.environmentIds} />
            </ActionForm>
          </div>
        </section>
      )}

      {isAdmin && (
        <section aria-labelledby="templates">
          <h2 id="templates" className="mb-2 text-lg font-semibold">Templates and reminders</h2>
          <div className="grid gap-3 sm:grid-cols-3">
            {data.cadences.map((c) => (
              <div key={c.severity} className="panel">
                <ActionForm action={updateCadenceAction} label={`Reminder for ${c.severity}`} submit="Save">
                  <input type="hidden" name="severity" value={c.severity} />
                  <input type="hidden" name="version" value={c.version} />
                  <FormField name="minutes" label={`${c.severity}: minutes between updates`} type="number" defaultValue={c.minutes?.toString() ?? ""} hint="Empty: no reminder." />
                </ActionForm>
              </div>
            ))}
          </div>
          <details className="mt-3">
            <summary className="cursor-pointer">Update templates ({data.templates.length})</summary>
            <div className="mt-2 grid gap-3 sm:grid-cols-2">
              {data.templates.map((t) => (
                <div key={`${t.severity}-${t.status}`} className="panel">
                  <ActionForm action={updateTemplateAction} label={`Template ${t.severity} ${t.status}`} submit="Save template">
                    <input type="hidden" name="severity" value={t.severity} />
                    <input type="hidden" name="status" value={t.status} />
                    <input type="hidden" name="version" value={t.version} />
                    <FormField name="body" label={`${t.severity} · ${UPDATE_LABELS[t.status]}`} type="textarea" defaultValue={t.body} hint="{next_update} becomes the promise this severity's cadence keeps (“within 30 minutes”)." />
                  </ActionForm>
                </div>
              ))}
            </div>
          </details>
        </section>
      )}

      {isAdmin && (
        <section aria-labelledby="webhooks">
          <h2 id="webhooks" className="mb-2 text-lg font-semibold">Webhooks</h2>
          <div className="panel overflow-x-auto p-0">
            <table className="table">
              <thead>
                <tr><th scope="col">URL</th><th scope="col">State</th><th scope="col">Actions</th></tr>
              </thead>
              <tbody>
                {data.subscribers.length === 0 && <tr><td colSpan={3} className="text-muted">No subscribers.</td></tr>}
                {data.subscribers.map((s) => (
                  <tr key={s.id}>
                    <td className="text-sm">{s.url}{s.description && <span className="block text-xs text-muted">{s.description}</span>}</td>
                    <td className="text-sm">{s.active ? "active" : "paused"}</td>
                    <td className="flex flex-wrap gap-2">
                      <Link className="btn" href={`/status-admin/webhooks/${s.id}`}>Delivery log</Link>
                      <ActionForm action={setSubscriberActiveAction} label={`${s.active ? "Pause" : "Resume"} ${s.url}`} submit={s.active ? "Pause" : "Resume"} className="flex gap-2">
                        <input type="hidden" name="subscriberId" value={s.id} />
                        <input type="hidden" name="version" value={s.version} />
                        <input type="hidden" name="active" value={s.active ? "false" : "true"} />
                      </ActionForm>
                      <ActionForm action={removeSubscriberAction} label={`Remove ${s.url}`} submit="Remove" danger className="flex gap-2">
                        <input type="hidden" name="subscriberId" value={s.id} />
                        <input type="hidden" name="version" value={s.version} />
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="panel mt-3">
            <CreateWebhookForm />
          </div>
        </section>
      )}
    </div>
  );
}
