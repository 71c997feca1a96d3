"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { saveRunbookAction } from "../../actions";
import { MarkdownEditor } from "../../markdown-editor";

export function EditForm({ slug, version, markdown }: { slug: string; version: number; markdown: string }) {
  const [state, action, pending] = useActionState(saveRunbookAction, null as ActionResult<unknown> | null);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  return (
    <form action={action} aria-label="Edit runbook" className="space-y-3">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="version" value={version} />
      <MarkdownEditor name="markdown" defaultValue={failed?.values?.markdown ?? markdown} errors={errors.markdown} />
      <Field name="changeNote" label="Change note (optional)" errors={errors.changeNote}>
        {(p) => <input {...p} className="input" maxLength={500} defaultValue={failed?.values?.changeNote} placeholder="What changed and why" />}
      </Field>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Saving…" : "Save revision"}</button>
        <p role="status" aria-live="polite" className="text-sm text-sev1">{failed?.message ?? ""}</p>
      </div>
    </form>
  );
}
