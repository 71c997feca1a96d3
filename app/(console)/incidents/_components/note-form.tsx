"use client";

import { useState } from "react";
import { addNoteAction } from "../actions";
import { localToIso } from "./format";
import { ActionMessage, useIncidentAction } from "./use-action";

export function NoteForm({ incidentId }: { incidentId: string }) {
  const { run, pending, result } = useIncidentAction(addNoteAction, incidentId);
  const [body, setBody] = useState("");
  const [occurred, setOccurred] = useState("");
  const errors = result && !result.ok ? result.fieldErrors ?? {} : {};
  return (
    <form
      aria-label="Add note"
      className="panel space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ incidentId, body, occurredAt: localToIso(occurred) }, () => {
          setBody("");
          setOccurred("");
        });
      }}
    >
      <label className="label" htmlFor="note-body">Note</label>
      <textarea
        id="note-body"
        className="input"
        rows={3}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        aria-invalid={!!errors.body}
        aria-describedby={errors.body ? "note-body-error" : "note-body-hint"}
      />
      <p id="note-body-hint" className="text-xs text-muted">Markdown. Raw HTML is not rendered.</p>
      {errors.body && <p id="note-body-error" className="field-error">{errors.body.join(" ")}</p>}
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label className="label" htmlFor="note-occurred">Happened at (optional)</label>
          <input id="note-occurred" type="datetime-local" className="input w-auto" value={occurred} onChange={(e) => setOccurred(e.target.value)} aria-invalid={!!errors.occurredAt} />
          {errors.occurredAt && <p className="field-error">{errors.occurredAt.join(" ")}</p>}
        </div>
        <button type="submit" className="btn-primary" disabled={pending || !body.trim()}>{pending ? "Adding…" : "Add note"}</button>
      </div>
      <ActionMessage result={result && !result.ok && !Object.keys(errors).length ? result : null} />
    </form>
  );
}
