"use client";

import { forwardRef, useState } from "react";
import { addNoteAction } from "../actions";
import { localToIso } from "./format";
import { ActionMessage, fieldErrorsOf, useIncidentAction } from "./use-action";

export const NOTE_MAX = 20_000;

/** The composer on top of the timeline: `n` focuses it, Ctrl+Enter (⌘+Enter) adds the note. */
export const NoteForm = forwardRef<HTMLTextAreaElement, { incidentId: string }>(function NoteForm({ incidentId }, ref) {
  const { run, pending, result } = useIncidentAction(addNoteAction, incidentId);
  const [body, setBody] = useState("");
  const [occurred, setOccurred] = useState("");
  const bodyErrors = fieldErrorsOf(result, "body");
  const occurredErrors = fieldErrorsOf(result, "occurredAt");
  const submit = () => {
    if (!body.trim() || pending) return;
    run({ incidentId, body, occurredAt: localToIso(occurred) }, () => {
      setBody("");
      setOccurred("");
    });
  };
  return (
    <form
      aria-label="Add note"
      className="panel space-y-2 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="label" htmlFor="note-body">Note</label>
      <textarea
        ref={ref}
        id="note-body"
        className="input"
        rows={2}
        maxLength={NOTE_MAX}
        value={body}
        aria-keyshortcuts="n"
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }}
        aria-invalid={!!bodyErrors}
        aria-describedby={bodyErrors ? "note-body-error" : "note-body-hint"}
      />
      {bodyErrors ? (
        <p id="note-body-error" className="field-error">{bodyErrors.join(" ")}</p>
      ) : (
        <p id="note-body-hint" className="text-xs text-muted">Markdown; raw HTML is shown as text. Ctrl+Enter adds it.</p>
      )}
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label className="label" htmlFor="note-occurred">Happened at (optional)</label>
          <input id="note-occurred" type="datetime-local" className="input w-auto" value={occurred} onChange={(e) => setOccurred(e.target.value)} aria-invalid={!!occurredErrors} aria-describedby={occurredErrors ? "note-occurred-error" : undefined} />
          {occurredErrors && <p id="note-occurred-error" className="field-error">{occurredErrors.join(" ")}</p>}
        </div>
        <button type="submit" className="btn-primary" disabled={pending || !body.trim()}>{pending ? "Adding…" : "Add note"}</button>
      </div>
      <ActionMessage result={result && !result.ok ? result : null} inline={["body", "occurredAt"]} />
    </form>
  );
});
