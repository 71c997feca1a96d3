"use client";

import { useState } from "react";
import { KEY_MOMENT_LABELS } from "@/app/_lib/labels";
import type { TimelineEventView } from "@/lib/incidents/views";
import { NOTE_MAX } from "./note-form";

// A timeline entry's forms, loaded when first opened from its menu (timeline-row.tsx).

type Run = (input: unknown, onSuccess?: () => void) => void;

export function EditNoteForm({ event, run, pending, onDone }: { event: TimelineEventView; run: Run; pending: boolean; onDone: () => void }) {
  const [text, setText] = useState(event.body);
  return (
    <form
      aria-label="Edit note"
      className="mt-2 space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ seq: event.seq, version: event.version, body: text }, onDone);
      }}
    >
      <label className="sr-only" htmlFor={`edit-${event.seq}`}>Note text</label>
      <textarea id={`edit-${event.seq}`} className="input" rows={3} maxLength={NOTE_MAX} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={pending}>Save note</button>
        <button type="button" className="btn" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

export function KeyMomentForm({ event, onDone, run, pending }: { event: TimelineEventView; onDone: () => void; run: (input: unknown, onSuccess?: () => void) => void; pending: boolean }) {
  const [moment, setMoment] = useState(event.keyMoment ?? "detected");
  const [label, setLabel] = useState(event.keyMoment === "custom" ? (event.keyMomentLabel ?? "") : "");
  return (
    <form
      aria-label="Mark key moment"
      className="mt-2 flex flex-wrap items-end gap-2 rounded-md border border-line p-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ seq: event.seq, version: event.version, moment, label }, onDone);
      }}
    >
      <div>
        <label className="label" htmlFor={`km-${event.seq}`}>Key moment</label>
        <select id={`km-${event.seq}`} className="input w-auto" value={moment} onChange={(e) => setMoment(e.target.value)} autoFocus>
          {Object.entries(KEY_MOMENT_LABELS).map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
      </div>
      {moment === "custom" && (
        <div>
          <label className="label" htmlFor={`kml-${event.seq}`}>Name of the moment</label>
          <input id={`kml-${event.seq}`} className="input w-48" required maxLength={120} value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
      )}
      <button type="submit" className="btn-primary" disabled={pending}>Mark</button>
      <button type="button" className="btn" onClick={onDone}>Cancel</button>
    </form>
  );
}
