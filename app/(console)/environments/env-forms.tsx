"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import {
  addAgentAction,
  addSurfaceAction,
  createEnvironmentAction,
  removeAgentAction,
  removeEnvironmentAction,
  removeSurfaceAction,
  setFaultAction,
  updateEnvironmentAction,
} from "./actions";

type Action = (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;

function useForm(action: Action) {
  const [state, formAction, pending] = useActionState(action, null as ActionResult<unknown> | null);
  const failed = state && !state.ok ? state : null;
  return { state, formAction, pending, errors: failed?.fieldErrors ?? {}, values: failed?.values ?? {} };
}

function Status({ state }: { state: ActionResult<unknown> | null }) {
  return (
    <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
      {state ? state.message : ""}
    </p>
  );
}

function ProductionConfirm({ production, name }: { production: boolean; name: string }) {
  if (!production) return null;
  return (
    <label className="flex items-center gap-2 text-sm font-semibold text-sev1">
      <input type="checkbox" name="confirmProduction" required /> I mean to change production ({name}).
    </label>
  );
}

const kinds = ["reference", "drill", "staging", "production"] as const;

export function CreateEnvironmentForm() {
  const { state, formAction, pending, errors, values } = useForm(createEnvironmentAction as Action);
  return (
    <form action={formAction} className="panel grid gap-3 sm:grid-cols-2" aria-label="Create environment">
      <Field name="name" label="Name" errors={errors.name} hint="e.g. staging or production-eu">
        {(p) => <input {...p} required className="input" defaultValue={values.name} />}
      </Field>
      <Field name="kind" label="Kind" errors={errors.kind}>
        {(p) => (
          <select {...p} className="input" defaultValue={values.kind ?? "staging"}>
            {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        )}
      </Field>
      <Field name="controlBaseUrl" label="Control API base URL" errors={errors.controlBaseUrl}>
        {(p) => <input {...p} required className="input" placeholder="http://127.0.0.1:8000" defaultValue={values.controlBaseUrl} />}
      </Field>
      <Field name="runtimeBaseUrl" label="Runtime API base URL" errors={errors.runtimeBaseUrl}>
        {(p) => <input {...p} required className="input" placeholder="http://127.0.0.1:8080" defaultValue={values.runtimeBaseUrl} />}
      </Field>
      <Field name="runtimeToken" label="Runtime operator token (optional)" errors={errors.runtimeToken} hint="Kept on the server; sent as a bearer token for audit logs and the DLQ.">
        {(p) => <input {...p} type="password" autoComplete="off" className="input" />}
      </Field>
      <Field name="description" label="Description" errors={errors.description}>
        {(p) => <input {...p} className="input" defaultValue={values.description} />}
      </Field>
      <label className="flex items-center gap-2 text-sm sm:col-span-2">
        <input type="checkbox" name="production" /> Production: every action against it asks for confirmation
      </label>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Creating…" : "Create environment"}</button>
        <Status state={state} />
      </div>
    </form>
  );
}

export function EditEnvironmentForm({ environment }: { environment: { id: string; name: string; version: number; kind: string; description: string; controlBaseUrl: string; runtimeBaseUrl: string; production: boolean } }) {
  const { state, formAction, pending, errors } = useForm(updateEnvironmentAction as Action);
  const e = environment;
  return (
    <form action={formAction} className="panel grid gap-3 sm:grid-cols-2" aria-label="Edit environment" key={e.version}>
      <input type="hidden" name="id" value={e.id} />
      <input type="hidden" name="version" value={e.version} />
      <Field name="controlBaseUrl" label="Control API base URL" errors={errors.controlBaseUrl}>
        {(p) => <input {...p} required className="input" defaultValue={e.controlBaseUrl} />}
      </Field>
      <Field name="runtimeBaseUrl" label="Runtime API base URL" errors={errors.runtimeBaseUrl}>
        {(p) => <input {...p} required className="input" defaultValue={e.runtimeBaseUrl} />}
      </Field>
      <Field name="description" label="Description" errors={errors.description}>
        {(p) => <input {...p} className="input" defaultValue={e.description} />}
      </Field>
      <Field name="kind" label="Kind" errors={errors.kind}>
        {(p) => (
          <select {...p} className="input" defaultValue={e.kind}>
            {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        )}
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="hidden" name="production" value="false" />
        <input type="checkbox" name="production" defaultChecked={e.production} /> Production
      </label>
      <ProductionConfirm production={e.production} name={e.name} />
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Saving…" : "Save environment"}</button>
        <Status state={state} />
      </div>
    </form>
  );
}

export function AddSurfaceForm({ environmentId, production, name }: { environmentId: string; production: boolean; name: string }) {
  const { state, formAction, pending, errors, values } = useForm(addSurfaceAction as Action);
  return (
    <form action={formAction} className="panel grid gap-3 sm:grid-cols-3" aria-label="Add surface">
      <input type="hidden" name="environmentId" value={environmentId} />
      <Field name="name" label="Surface name" errors={errors.name}>
        {(p) => <input {...p} required className="input" defaultValue={values.name} />}
      </Field>
      <Field name="unit" label="Unit (systemd)" errors={errors.unit}>
        {(p) => <input {...p} className="input" defaultValue={values.unit} placeholder="ouroboros-api.service" />}
      </Field>
      <Field name="command" label="Or command" errors={errors.command}>
        {(p) => <input {...p} className="input" defaultValue={values.command} />}
      </Field>
      <Field name="port" label="Port" errors={errors.port}>
        {(p) => <input {...p} inputMode="numeric" className="input" defaultValue={values.port} />}
      </Field>
      <Field name="healthUrl" label="Health check URL" errors={errors.healthUrl}>
        {(p) => <input {...p} required className="input" defaultValue={values.healthUrl} placeholder="http://127.0.0.1:8000/health" />}
      </Field>
      <Field name="hostHeader" label="Host header (optional)" errors={errors.hostHeader}>
        {(p) => <input {...p} className="input" defaultValue={values.hostHeader} placeholder="app.example.com" />}
      </Field>
      <Field name="runbookPorts" label="Runbook ports (optional)" hint="Ports runbooks call this surface on, e.g. 3101" errors={errors.runbookPorts}>
        {(p) => <input {...p} className="input" defaultValue={values.runbookPorts} placeholder="3101" />}
      </Field>
      <Field name="group" label="Group" errors={errors.group}>
        {(p) => <input {...p} className="input" defaultValue={values.group ?? "services"} />}
      </Field>
      <div className="sm:col-span-3"><ProductionConfirm production={production} name={name} /></div>
      <div className="flex items-center gap-3 sm:col-span-3">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Adding…" : "Add surface"}</button>
        <Status state={state} />
      </div>
    </form>
  );
}

export function AddAgentForm({ environmentId, production, name }: { environmentId: string; production: boolean; name: string }) {
  const { state, formAction, pending, errors, values } = useForm(addAgentAction as Action);
  return (
    <form action={formAction} className="panel grid gap-3 sm:grid-cols-2" aria-label="Add host agent">
      <input type="hidden" name="environmentId" value={environmentId} />
      <Field name="name" label="Agent name" errors={errors.name}>
        {(p) => <input {...p} required className="input" defaultValue={values.name} />}
      </Field>
      <Field name="url" label="Agent URL" errors={errors.url}>
        {(p) => <input {...p} required className="input" defaultValue={values.url} placeholder="http://10.0.0.5:7410" />}
      </Field>
      <Field name="agentKey" label="Agent id" errors={errors.agentKey} hint="SITREP_AGENT_ID of the agent process.">
        {(p) => <input {...p} required className="input" defaultValue={values.agentKey} />}
      </Field>
      <Field name="secret" label="Shared secret" errors={errors.secret} hint="Stored on the server only; never shown again.">
        {(p) => <input {...p} type="password" autoComplete="off" required minLength={16} className="input" />}
      </Field>
      <div className="sm:col-span-2"><ProductionConfirm production={production} name={name} /></div>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Adding…" : "Add agent"}</button>
        <Status state={state} />
      </div>
    </form>
  );
}

export function RemoveButton({ kind, id, label, production }: { kind: "surface" | "agent" | "environment"; id: string; label: string; production: boolean }) {
  const action = kind === "surface" ? removeSurfaceAction : kind === "agent" ? removeAgentAction : removeEnvironmentAction;
  const { state, formAction, pending } = useForm(action as Action);
  return (
    <form
      action={formAction}
      className="inline-flex items-center gap-2"
      onSubmit={(e) => {
        if (!window.confirm(`${label}?${production ? " This is a production environment." : ""}`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      {production && <input type="hidden" name="confirmProduction" value="true" />}
      <button type="submit" className="btn-danger" disabled={pending}>{label}</button>
      {state && !state.ok && <span role="alert" className="field-error">{state.message}</span>}
    </form>
  );
}

const faultLabels: Record<string, string> = {
  stalled_queue: "Stalled worker queue",
  "5xx_burst": "5xx burst",
  slot_leak: "Slot leak",
  terminal_error_spike: "Terminal error spike",
};

export function FaultSwitches({ environmentId, production, surfaces, faults }: { environmentId: string; production: boolean; surfaces: { id: string; label: string }[]; faults: Record<string, unknown> | null }) {
  const { state, formAction, pending } = useForm(setFaultAction as Action);
  const current = (state?.ok ? (state.data as Record<string, unknown>) : null) ?? faults;
  const isOn = (fault: string) => {
    const v = current?.[fault];
    return typeof v === "boolean" ? v : !!(v as { on?: boolean } | undefined)?.on;
  };
  const failing = (current?.failing_health as string[] | undefined) ?? [];
  return (
    <div className="space-y-3">
      <ul className="grid gap-2 sm:grid-cols-2">
        {Object.entries(faultLabels).map(([fault, label]) => (
          <li key={fault} className="flex items-center justify-between gap-2 rounded-md border border-line p-2">
            <span>
              {label} <span className={`badge ${isOn(fault) ? "text-sev1" : "text-muted"}`}>{isOn(fault) ? "on" : "off"}</span>
            </span>
            <form action={formAction}>
              <input type="hidden" name="environmentId" value={environmentId} />
              <input type="hidden" name="fault" value={fault} />
              <input type="hidden" name="on" value={String(!isOn(fault))} />
              {production && <input type="hidden" name="confirmProduction" value="true" />}
              <button type="submit" className={isOn(fault) ? "btn" : "btn-danger"} disabled={pending}>
                {isOn(fault) ? `Switch off ${label.toLowerCase()}` : `Switch on ${label.toLowerCase()}`}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form action={formAction} className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="environmentId" value={environmentId} />
        <input type="hidden" name="fault" value="failing_health" />
        {production && <input type="hidden" name="confirmProduction" value="true" />}
        <div>
          <label htmlFor="fault-surface" className="label">Failing health check on</label>
          <select id="fault-surface" name="surface" className="input">
            {surfaces.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
        </div>
        <select name="on" className="input w-auto" aria-label="Failing or healthy">
          <option value="true">failing</option>
          <option value="false">healthy again</option>
        </select>
        <button type="submit" className="btn-danger" disabled={pending}>Set health check</button>
      </form>
      {failing.length > 0 && <p className="text-sm">Failing health checks: {failing.map((id) => surfaces.find((s) => s.id === id)?.label ?? id).join(", ")}</p>}
      <form action={formAction}>
        <input type="hidden" name="environmentId" value={environmentId} />
        <input type="hidden" name="fault" value="clear" />
        {production && <input type="hidden" name="confirmProduction" value="true" />}
        <button type="submit" className="btn" disabled={pending}>Clear all faults</button>
      </form>
      <Status state={state} />
    </div>
  );
}
