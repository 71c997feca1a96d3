"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import type { ImportResult } from "@/lib/runbooks/import";
import { importRunbooksAction } from "./actions";

type Props = { maxBytes: number };

/** Uploads one or many markdown files; shows what happened to each. */
export function UploadForm({ maxBytes }: Props) {
  const [state, action, pending] = useActionState(importRunbooksAction, null as ActionResult<ImportResult[]> | null);
  const [tooLarge, setTooLarge] = useState<string[]>([]);
  const failed = state && !state.ok ? state : null;
  return (
    <form
      action={action}
      aria-label="Upload runbooks"
      className="panel space-y-3"
      onSubmit={(event) => {
        // Files over the limit are refused here too, so a big file does not hold up the rest.
        const input = event.currentTarget.elements.namedItem("files") as HTMLInputElement;
        const big = Array.from(input.files ?? []).filter((f) => f.size > maxBytes);
        setTooLarge(big.map((f) => `${f.name}: ${(f.size / 1024 / 1024).toFixed(1)} MB is over the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit; not uploaded.`));
        if (big.length) {
          const keep = new DataTransfer();
          for (const f of Array.from(input.files ?? [])) if (f.size <= maxBytes) keep.items.add(f);
          input.files = keep.files;
          if (!keep.files.length) event.preventDefault();
        }
      }}
    >
      <div>
        <label htmlFor="runbook-files" className="label">Markdown files</label>
        <input
          id="runbook-files"
          name="files"
          type="file"
          multiple
          required
          accept=".md,.markdown,.txt,text/markdown,text/plain"
          className="input"
          aria-describedby="runbook-files-hint"
        />
        <p id="runbook-files-hint" className="mt-1 text-xs text-muted">
          One or many files. Identical content is skipped; changed content becomes a new revision.
        </p>
      </div>
      <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Importing…" : "Import"}</button>
      <div role="status" aria-live="polite">
        {failed && <p className="field-error">{failed.fieldErrors?.files?.join(" ") ?? failed.message}</p>}
        {(tooLarge.length > 0 || (state?.ok && state.data.length > 0)) && (
          <ul aria-label="Import results" className="space-y-1 text-sm">
            {tooLarge.map((t) => (
              <li key={t} className="text-sev1">✗ {t}</li>
            ))}
            {state?.ok &&
              state.data.map((r, i) => (
                <li key={`${r.file}-${i}`}>
                  {r.status === "error" ? (
                    <span className="text-sev1">✗ {r.error}</span>
                  ) : (
                    <span>
                      {r.status === "unchanged" ? "＝" : "✓"} {r.file} →{" "}
                      <Link className="text-accent underline" href={`/runbooks/${r.slug}`}>{r.title}</Link>{" "}
                      <span className="text-muted">
                        revision {r.revision} ({r.status}); {r.steps} steps, {r.placeholders} inputs, {r.checklists} checklists, {r.tables} tables, {r.links} links
                        {r.pendingLinks ? ` (${r.pendingLinks} pending)` : ""}
                      </span>
                      {r.warnings.length > 0 && (
                        <ul className="ml-5 list-disc text-sev3">
                          {r.warnings.map((w) => <li key={w}>{w}</li>)}
                        </ul>
                      )}
                    </span>
                  )}
                </li>
              ))}
          </ul>
        )}
      </div>
    </form>
  );
}
