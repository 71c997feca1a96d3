"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { createRunbookAction } from "../actions";
import { MarkdownEditor } from "../markdown-editor";

type Props = { title: string; slug: string; category: string; markdown: string; fromPending: boolean };

export function CreateForm({ title, slug, category, markdown, fromPending }: Props) {
  const [state, action, pending] = useActionState(createRunbookAction, null as ActionResult<unknown> | null);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  const values = failed?.values ?? {};
  return (
    <form action={action} aria-label="Create runbook" className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-3">
        <Field name="title" label="Title" errors={errors.title}>
          {(p) => <input {...p} required className="input" defaultValue={values.title ?? title} />}
        </Field>
        <Field name="slug" label="Slug" errors={errors.slug} hint={fromPending ? "Fills the pending entry of this name." : "Leave empty to derive it from the title."}>
          {(p) => <input {...p} className="input font-mono" defaultValue={values.slug ?? slug} />}
        </Field>
        <Field name="category" label="Category" errors={errors.category}>
          {(p) => <input {...p} className="input" defaultValue={values.category ?? category} />}
        </Field>
      </div>
      <MarkdownEditor name="markdown" defaultValue={values.markdown ?? markdown} errors={errors.markdown} />
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Creating…" : "Create runbook"}</button>
        <p role="status" aria-live="polite" className="text-sm text-sev1">{failed?.message ?? ""}</p>
      </div>
    </form>
  );
}
