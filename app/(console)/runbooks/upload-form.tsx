"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import type { ImportResult } from "@/lib/runbooks/import";
import { importRunbooksAction } from "./actions";

// Server actions take bodies up to 1 MB by default: files go up in batches under that.
const BATCH_BYTES = 900 * 1024;

type Props = { maxBytes: number };

function batches(files: File[]): File[][] {
  const out: File[][] = [];
  let current: File[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length && size + f.size > BATCH_BYTES) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.size;
  }
  if (current.length) out.push(current);
  return out;
}

/** Uploads one or many markdown files; shows what happened to each. */
export function UploadForm({ maxBytes }: Props) {
  const [results, setResults] = useState<ImportResult[]>([]);
  const [refused, setRefused] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function upload(form: HTMLFormElement) {
    const input = form.elements.namedItem("files") as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // Files over the limit are refused here too, so a big file does not hold up the rest.
    const big = files.filter((f) => f.size > maxBytes);
    setRefused(big.map((f) => `${f.name}: ${(f.size / 1024 / 1024).toFixed(1)} MB is over the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit; not uploaded.`));
    setResults([]);
    setMessage(null);
    const queued = batches(files.filter((f) => f.size <= maxBytes));
    startTransition(async () => {
      const all: ImportResult[] = [];
      for (const batch of queued) {
        const data = new FormData();
        for (const f of batch) data.append("files", f);
        try {
          const state = await importRunbooksAction(null, data);
          if (!state.ok) {
            setMessage(state.fieldErrors?.files?.join(" ") ?? state.message);
            break;
          }
          all.push(...state.data);
        } catch {
          all.push(...batch.map((f): ImportResult => ({ file: f.name, status: "error", error: `${f.name}: the upload did not reach the server (too large or the connection dropped).`, warnings: [] })));
        }
        setResults([...all]);
      }
      form.reset();
    });
  }

  return (
    <form
      aria-label="Upload runbooks"
      className="panel space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        upload(event.currentTarget);
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
        {message && <p className="field-error">{message}</p>}
        {(refused.length > 0 || results.length > 0) && (
          <ul aria-label="Import results" className="space-y-1 text-sm">
            {refused.map((t) => (
              <li key={t} className="text-sev1">✗ {t}</li>
            ))}
            {results.map((r, i) => (
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
