"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import {
  addEventAction,
  addFollowUpAction,
  addReviewerAction,
  annotateAction,
  approveReviewAction,
  correctTimeAction,
  followUpStateAction,
  markMomentAction,
  publishReviewAction,
  submitReviewAction,
  updateReviewAction,
} from "./actions";

type Action = (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;

/** A form bound to one server action; refreshes the page's server data after a success. */
function useReviewForm(action: Action) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(action, null);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
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

/** Label, control and its errors, tied together by ids unique on the page. */
function Labelled({ label, errors, hint, children }: { label: string; errors?: string[]; hint?: string; children: (p: { id: string; "aria-describedby"?: string; "aria-invalid": boolean }) => React.ReactNode }) {
  const id = useId();
  const describedBy = [errors?.length ? `${id}-e` : null, hint ? `${id}-h` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="label">{label}</label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": !!errors?.length })}
      {hint && <p id={`${id}-h`} className="mt-1 text-xs text-muted">{hint}</p>}
      {errors?.length ? <p id={`${id}-e`} className="field-error">{errors.join(" ")}</p> : null}
    </div>
  );
}

const TEXT_FIELDS = [
  ["summary", "Summary"],
  ["impact", "Impact"],
  ["rootCause", "Root cause"],
  ["contributingFactors", "Contributing factors"],
  ["wentWell", "What went well"],
  ["missingDocs", "Missing docs"],
  ["missingAlerts", "Missing alerts"],
  ["missingAutomation", "Missing automation"],
] as const;

export type ReviewText = Record<(typeof TEXT_FIELDS)[number][0], string>;

export function ReviewTextForm({ incidentId, version, text }: { incidentId: string; version: number; text: ReviewText }) {
  const f = useReviewForm(updateReviewAction as Action);
  return (
    <form action={f.formAction} aria-label="Review text" className="grid gap-3 md:grid-cols-2">
      <input type="hidden" name="incidentId" value={incidentId} />
      <input type="hidden" name="version" value={version} />
      {TEXT_FIELDS.map(([name, label]) => (
        <Labelled key={name} label={label} errors={f.errors[name]}>
          {(p) => <textarea {...p} name={name} rows={name.startsWith("missing") ? 2 : 4} className="input" defaultValue={f.values[name] ?? text[name]} key={`${name}${version}${f.values[name] ?? ""}`} />}
        </Labelled>
      ))}
      <div className="flex items-center gap-3 md:col-span-2">
        <button type="submit" className="btn-primary" disabled={f.pending}>{f.pending ? "Saving…" : "Save review"}</button>
        <Status state={f.state} />
      </div>
    </form>
  );
}

const MOMENTS = ["started", "detected", "acknowledged", "mitigated", "resolved"] as const;

export function MarkMomentForm({ incidentId, itemKey }: { incidentId: string; itemKey: string }) {
  const f = useReviewForm(markMomentAction as Action);
  return (
    <form action={f.formAction} aria-label="Mark key moment" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="incidentId" value={incidentId} />
      <input type="hidden" name="itemKey" value={itemKey} />
      <Labelled label="Key moment" errors={f.errors.moment}>
        {(p) => (
          <select {...p} name="moment" className="input" defaultValue="detected">
            {MOMENTS.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        )}
      </Labelled>
      <button type="submit" className="btn" disabled={f.pending}>Mark</button>
      <Status state={f.state} />
    </form>
  );
}

export function CorrectTimeForm({ incidentId, itemKey, current }: { incidentId: string; itemKey: string; current: string }) {
  const f = useReviewForm(correctTimeAction as Action);
  return (
    <form action={f.formAction} aria-label="Correct occurred-at" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="incidentId" value={incidentId} />
      <input type="hidden" name="itemKey" value={itemKey} />
      <Labelled label="Occurred at (UTC)" errors={f.errors.occurredAt}>
        {(p) => <input {...p} name="occurredAt" type="datetime-local" step={1} className="input" defaultValue={f.values.occurredAt ?? current.slice(0, 19)} />}
      </Labelled>
      <Labelled label="Reason" errors={f.errors.reason}>
        {(p) => <input {...p} name="reason" className="input" defaultValue={f.values.reason} required />}
      </Labelled>
      <button type="submit" className="btn" disabled={f.pending}>Correct time</button>
      <Status state={f.state} />
    </form>
  );
}

export function AnnotateForm({ incidentId, itemKey }: { incidentId: string; itemKey: string }) {
  const f = useReviewForm(annotateAction as Action);
  return (
    <form action={f.formAction} aria-label="Annotate" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="incidentId" value={incidentId} />
      <input type="hidden" name="itemKey" value={itemKey} />
      <Labelled label="Annotation" errors={f.errors.body}>
        {(p) => <input {...p} name="body" className="input min-w-64" defaultValue={f.values.body} key={f.state?.ok ? String(Date.now()) : "a"} required />}
      </Labelled>
      <button type="submit" className="btn" disabled={f.pending}>Annotate</button>
      <Status state={f.state} />
    </form>
  );
}

export function AddEventForm({ incidentId }: { incidentId: string }) {
  const f = useReviewForm(addEventAction as Action);
  return (
    <form action={f.formAction} aria-label="Add missed event" className="grid gap-2 md:grid-cols-4">
      <input type="hidden" name="incidentId" value={incidentId} />
      <Labelled label="When (UTC)" errors={f.errors.occurredAt}>
        {(p) => <input {...p} name="occurredAt" type="datetime-local" step={1} className="input" defaultValue={f.values.occurredAt} required />}
      </Labelled>
      <Labelled label="Who" errors={f.errors.personName}>
        {(p) => <input {...p} name="personName" className="input" defaultValue={f.values.personName} />}
      </Labelled>
      <div className="md:col-span-2">
        <Labelled label="What happened" errors={f.errors.body}>
          {(p) => <input {...p} name="body" className="input" defaultValue={f.values.body} required />}
        </Labelled>
      </div>
      <div className="flex items-center gap-3 md:col-span-4">
        <button type="submit" className="btn" disabled={f.pending}>Add event</button>
        <Status state={f.state} />
      </div>
    </form>
  );
}

export type Person = { id: string; name: string; role: string };
export type RunbookOption = { slug: string; title: string; pending: boolean };

export function FollowUpForm({ incidentId, people, runbooks }: { incidentId: string; people: Person[]; runbooks: RunbookOption[] }) {
  const f = useReviewForm(addFollowUpAction as Action);
  return (
    <form action={f.formAction} aria-label="Add follow-up" className="grid gap-2 md:grid-cols-2">
      <input type="hidden" name="incidentId" value={incidentId} />
      <Labelled label="Follow-up action" errors={f.errors.title}>
        {(p) => <input {...p} name="title" className="input" defaultValue={f.values.title} required />}
      </Labelled>
      <Labelled label="Owner" errors={f.errors.ownerId}>
        {(p) => (
          <select {...p} name="ownerId" className="input" defaultValue={f.values.ownerId ?? ""}>
            <option value="">Nobody yet</option>
            {people.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.role})</option>)}
          </select>
        )}
      </Labelled>
      <Labelled label="Due date" errors={f.errors.dueDate}>
        {(p) => <input {...p} name="dueDate" type="date" className="input" defaultValue={f.values.dueDate} />}
      </Labelled>
      <Labelled label="Runbook" errors={f.errors.runbook} hint="Update an existing runbook, or create one the index lists as pending.">
        {(p) => (
          <select {...p} name="runbook" className="input" defaultValue={f.values.runbook ?? ""}>
            <option value="">No runbook</option>
            <optgroup label="Create a pending runbook">
              {runbooks.filter((r) => r.pending).map((r) => <option key={r.slug} value={`create:${r.slug}`}>Create {r.slug} — {r.title}</option>)}
            </optgroup>
            <optgroup label="Update an existing runbook">
              {runbooks.filter((r) => !r.pending).map((r) => <option key={r.slug} value={`update:${r.slug}`}>Update {r.slug} — {r.title}</option>)}
            </optgroup>
          </select>
        )}
      </Labelled>
      <div className="flex items-center gap-3 md:col-span-2">
        <button type="submit" className="btn-primary" disabled={f.pending}>Add follow-up</button>
        <Status state={f.state} />
      </div>
    </form>
  );
}

const STATES = [
  ["open", "Open"],
  ["in_progress", "In progress"],
  ["done", "Done"],
  ["wont_do", "Won't do"],
] as const;

export function FollowUpStateForm({ id, version, state, title }: { id: string; version: number; state: string; title: string }) {
  const f = useReviewForm(followUpStateAction as Action);
  return (
    <form action={f.formAction} aria-label={`State of ${title}`} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <label className="sr-only" htmlFor={`state-${id}`}>State</label>
      <select id={`state-${id}`} name="state" className="input" defaultValue={state} key={`${id}${version}`}>
        {STATES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
      <button type="submit" className="btn" disabled={f.pending}>Set</button>
      {f.state && !f.state.ok && <Status state={f.state} />}
    </form>
  );
}

export function AddReviewerForm({ incidentId, people }: { incidentId: string; people: Person[] }) {
  const f = useReviewForm(addReviewerAction as Action);
  return (
    <form action={f.formAction} aria-label="Add reviewer" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="incidentId" value={incidentId} />
      <Labelled label="Reviewer" errors={f.errors.userId}>
        {(p) => (
          <select {...p} name="userId" className="input">
            {people.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.role})</option>)}
          </select>
        )}
      </Labelled>
      <button type="submit" className="btn" disabled={f.pending}>Add reviewer</button>
      <Status state={f.state} />
    </form>
  );
}

/** One-button workflow steps: submit, approve (the version on screen), publish. */
export function WorkflowButton({ kind, incidentId, version }: { kind: "submit" | "approve" | "publish"; incidentId: string; version: number }) {
  const action = { submit: submitReviewAction, approve: approveReviewAction, publish: publishReviewAction }[kind] as Action;
  const label = { submit: "Submit for review", approve: `Approve version ${version}`, publish: "Publish review" }[kind];
  const f = useReviewForm(action);
  return (
    <form action={f.formAction} aria-label={label} className="flex items-center gap-2">
      <input type="hidden" name="incidentId" value={incidentId} />
      <input type="hidden" name="version" value={version} />
      <button type="submit" className={kind === "publish" ? "btn-primary" : "btn"} disabled={f.pending}>{label}</button>
      <Status state={f.state} />
    </form>
  );
}
