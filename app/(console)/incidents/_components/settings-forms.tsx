"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { takeChecklistFromRunbookAction, updateChecklistTemplateAction, updateSevDefinitionAction } from "../actions";

function Status({ state }: { state: ActionResult<unknown> | null }) {
  return (
    <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
      {state?.message ?? ""}
    </p>
  );
}

export function SevDefinitionForm({ def }: { def: { severity: string; name: string; description: string; responseExpectation: string; version: number } }) {
  const [state, action, pending] = useActionState(updateSevDefinitionAction, null as ActionResult<unknown> | null);
  const errors = state && !state.ok ? state.fieldErrors ?? {} : {};
  const p = (n: string) => `${def.severity}-${n}`;
  return (
    <form action={action} className="panel grid gap-3" aria-label={`${def.severity} definition`}>
      <input type="hidden" name="severity" value={def.severity} />
      <input type="hidden" name="version" value={def.version} />
      <h3 className="font-semibold">{def.severity}</h3>
      <Field name={p("name")} label="Name" errors={errors.name}>
        {(f) => <input {...f} name="name" className="input" defaultValue={def.name} required />}
      </Field>
      <Field name={p("description")} label="When it applies" errors={errors.description}>
        {(f) => <textarea {...f} name="description" className="input" rows={3} defaultValue={def.description} required />}
      </Field>
      <Field name={p("responseExpectation")} label="Expected response" errors={errors.responseExpectation}>
        {(f) => <textarea {...f} name="responseExpectation" className="input" rows={2} defaultValue={def.responseExpectation} />}
      </Field>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>Save {def.severity}</button>
        <Status state={state} />
      </div>
    </form>
  );
}

export function ChecklistTemplateForm({ template }: { template: { kind: string; title: string; description: string; items: string[]; version: number } }) {
  const [state, action, pending] = useActionState(updateChecklistTemplateAction, null as ActionResult<unknown> | null);
  const errors = state && !state.ok ? state.fieldErrors ?? {} : {};
  const p = (n: string) => `${template.kind}-${n}`;
  return (
    <form action={action} className="panel grid gap-3" aria-label={`${template.title} checklist`}>
      <input type="hidden" name="kind" value={template.kind} />
      <input type="hidden" name="version" value={template.version} />
      <Field name={p("title")} label="Title" errors={errors.title}>
        {(f) => <input {...f} name="title" className="input" defaultValue={template.title} required />}
      </Field>
      <Field name={p("description")} label="Description" errors={errors.description}>
        {(f) => <input {...f} name="description" className="input" defaultValue={template.description} />}
      </Field>
      <Field name={p("items")} label="Items (one per line)" errors={errors.items}>
        {(f) => <textarea {...f} name="items" className="input font-mono" rows={Math.max(4, template.items.length + 1)} defaultValue={template.items.join("\n")} required />}
      </Field>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>Save checklist</button>
        <Status state={state} />
      </div>
    </form>
  );
}

export function ChecklistFromRunbookForm({ template, choices }: { template: { kind: string; title: string; version: number; source: string }; choices: { value: string; label: string }[] }) {
  const [state, action, pending] = useActionState(takeChecklistFromRunbookAction, null as ActionResult<unknown> | null);
  const errors = state && !state.ok ? state.fieldErrors ?? {} : {};
  const current = template.source.startsWith("runbook:") ? template.source.slice("runbook:".length) : "";
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label={`${template.title} from a runbook`}>
      <input type="hidden" name="kind" value={template.kind} />
      <input type="hidden" name="version" value={template.version} />
      <Field name={`${template.kind}-source`} label="Take the items from a runbook checklist" errors={errors.source}>
        {(f) => (
          <select {...f} name="source" className="input" defaultValue={current} required>
            <option value="" disabled>{choices.length ? "Choose a checklist…" : "Import runbooks to choose from their checklists"}</option>
            {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        )}
      </Field>
      <button type="submit" className="btn" disabled={pending || choices.length === 0}>Follow runbook</button>
      <Status state={state} />
    </form>
  );
}
