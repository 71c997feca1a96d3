"use client";

import { useActionState } from "react";
import { saveRepositoryAction, syncRepositoryAction } from "./actions";

type Repo = { id: string; name: string; path: string; branch: string | null; subfolder: string | null; scheduleMinutes: number | null; commitUrlTemplate: string | null; version: number };

function Field({ name, label, hint, value, errors, prefix }: { name: string; label: string; hint?: string; value?: string | number | null; errors?: string[]; prefix: string }) {
  const id = `${prefix}-${name}`;
  return (
    <div>
      <label htmlFor={id} className="label">{label}</label>
      <input id={id} name={name} defaultValue={value ?? ""} className="input" aria-invalid={!!errors} aria-describedby={`${id}-hint${errors ? ` ${id}-error` : ""}`} />
      {hint && <p id={`${id}-hint`} className="mt-1 text-xs text-muted">{hint}</p>}
      {errors && <p id={`${id}-error`} className="field-error">{errors.join(" ")}</p>}
    </div>
  );
}

/** Adds a repository, or changes one (its schedule, branch, commit links). */
export function RepositoryForm({ repo }: { repo?: Repo }) {
  const [state, action, pending] = useActionState(saveRepositoryAction, null);
  const prefix = repo ? `repo-${repo.id}` : "repo-new";
  const v = (k: string, fallback?: string | number | null) => (state && !state.ok ? state.values?.[k] : undefined) ?? fallback;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2" aria-label={repo ? `Settings of ${repo.name}` : "Add a repository"}>
      {repo && <input type="hidden" name="id" value={repo.id} />}
      {repo && <input type="hidden" name="version" value={repo.version} />}
      <Field prefix={prefix} name="name" label="Name" value={v("name", repo?.name)} errors={errors?.name} />
      <Field prefix={prefix} name="path" label="Checkout folder" hint="A git checkout on the console's host; keep it up to date with git pull (e.g. from cron)." value={v("path", repo?.path)} errors={errors?.path} />
      <Field prefix={prefix} name="branch" label="Branch" hint="Empty: the checkout's HEAD." value={v("branch", repo?.branch)} errors={errors?.branch} />
      <Field prefix={prefix} name="subfolder" label="Only under folder" hint="Empty: every markdown file." value={v("subfolder", repo?.subfolder)} errors={errors?.subfolder} />
      <Field prefix={prefix} name="scheduleMinutes" label="Sync every (minutes)" hint="Empty: by hand only." value={v("scheduleMinutes", repo?.scheduleMinutes)} errors={errors?.scheduleMinutes} />
      <Field prefix={prefix} name="commitUrlTemplate" label="Commit link" hint="https address with {commit}, so runbook pages link the commit." value={v("commitUrlTemplate", repo?.commitUrlTemplate)} errors={errors?.commitUrlTemplate} />
      <div className="flex items-center gap-2 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Saving…" : repo ? "Save" : "Add repository"}</button>
        <p role="status" className={state && !state.ok ? "field-error" : "text-sm text-ok"}>{state ? (state.ok ? "Saved." : state.message) : ""}</p>
      </div>
    </form>
  );
}

export function SyncNowButton({ id, name }: { id: string; name: string }) {
  const [state, action, pending] = useActionState(syncRepositoryAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="btn" disabled={pending} aria-label={`Sync ${name} now`}>{pending ? "Syncing…" : "Sync now"}</button>
      <span role="status" className={state && !state.ok ? "field-error" : "text-sm text-muted"}>
        {state ? (state.ok ? `${state.data.created} created, ${state.data.updated} updated, ${state.data.unchanged} unchanged, ${state.data.renamed} renamed, ${state.data.archived} archived, ${state.data.failed} failed` : state.message) : ""}
      </span>
    </form>
  );
}
