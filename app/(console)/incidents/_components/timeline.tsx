"use client";

import { useState } from "react";
import type { NoteRevisionView } from "@/lib/incidents/queries";
import type { TimelineEventView } from "@/lib/incidents/views";
import { editNoteAction, markKeyMomentAction } from "../actions";
import { ALERT_EVENT_LABELS } from "../../alerts/_components/labels";
import { utc } from "./format";
import { Markdown } from "./markdown";
import { ActionMessage, useIncidentAction } from "./use-action";

const KIND_LABELS: Record<string, string> = {
  "incident.declared": "Declared",
  "status.changed": "Status",
  "severity.changed": "Severity",
  "command.handed_over": "Command",
  "role.assigned": "Role",
  "role.ended": "Role",
  note: "Note",
  "note.edited": "Note edited",
  "key_moment.marked": "Key moment",
  "checklist.added": "Checklist",
  "checklist.item.ticked": "Checklist",
  "checklist.item.unticked": "Checklist",
  "step.started": "Step run",
  "step.finished": "Step result",
  // Until the shared label map (app/_lib/labels.ts) exists: the alert kinds from their own map.
  ...ALERT_EVENT_LABELS,
};

type Props = {
  incidentId: string;
  events: TimelineEventView[];
  revisions: Record<number, NoteRevisionView[]>;
  me: { userId: string; canManage: boolean; canNote: boolean };
};

export function Timeline({ incidentId, events, revisions, me }: Props) {
  const [kind, setKind] = useState("");
  const [person, setPerson] = useState("");
  const kinds = [...new Set(events.map((e) => e.kind))].sort();
  const people = [...new Map(events.filter((e) => e.actorId).map((e) => [e.actorId!, e.actorName ?? e.actorId!])).entries()];
  const shown = events
    .filter((e) => (!kind || (kind === "key" ? !!e.keyMoment : e.kind === kind)) && (!person || e.actorId === person))
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.seq - b.seq);
  return (
    <section aria-labelledby="timeline-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="timeline-heading" className="text-lg font-semibold">Timeline</h2>
        <div className="flex flex-wrap gap-2">
          <div>
            <label className="label" htmlFor="tl-kind">Kind</label>
            <select id="tl-kind" className="input w-auto" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">All</option>
              <option value="key">Key moments only</option>
              {kinds.map((k) => <option key={k} value={k}>{KIND_LABELS[k] ? `${KIND_LABELS[k]} (${k})` : k}</option>)}
            </select>
          </div>
          <div>
            <label className="label" htmlFor="tl-person">Person</label>
            <select id="tl-person" className="input w-auto" value={person} onChange={(e) => setPerson(e.target.value)}>
              <option value="">Everyone</option>
              {people.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
            </select>
          </div>
        </div>
      </div>
      <ol className="space-y-2" aria-label="Timeline events">
        {shown.map((e) => (
          <TimelineItem key={e.seq} incidentId={incidentId} event={e} revisions={revisions[e.seq]} me={me} />
        ))}
      </ol>
    </section>
  );
}

function TimelineItem({ incidentId, event, revisions, me }: { incidentId: string; event: TimelineEventView; revisions?: NoteRevisionView[]; me: Props["me"] }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(event.body);
  const edit = useIncidentAction(editNoteAction, incidentId);
  const mark = useIncidentAction(markKeyMomentAction, incidentId);
  const [label, setLabel] = useState("");
  const isNote = event.kind === "note";
  const canEdit = isNote && me.canNote && (event.actorId === me.userId || me.canManage);
  const late = Math.abs(new Date(event.recordedAt).getTime() - new Date(event.occurredAt).getTime()) > 60_000;
  return (
    <li className={`panel p-3 ${event.keyMoment ? "border-accent" : ""}`} data-kind={event.kind} data-seq={event.seq}>
      <div className="flex flex-wrap items-baseline gap-2 text-xs text-muted">
        <time dateTime={event.occurredAt} className="font-mono text-fg">{utc(event.occurredAt)}</time>
        {late && <span title="When it was written down">recorded {utc(event.recordedAt)}</span>}
        <span className="badge border border-line">{KIND_LABELS[event.kind] ?? event.kind}</span>
        <span>{event.actorName ?? "Sitrep"}</span>
        {event.keyMoment && <span className="badge bg-accent text-white dark:text-black">★ {event.keyMomentLabel}</span>}
        {event.editedAt && <span>edited by {event.editedBy} {utc(event.editedAt, false)}</span>}
      </div>
      {editing ? (
        <form
          aria-label="Edit note"
          className="mt-2 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            edit.run({ seq: event.seq, version: event.version, body: text }, () => setEditing(false));
          }}
        >
          <label className="sr-only" htmlFor={`edit-${event.seq}`}>Note text</label>
          <textarea id={`edit-${event.seq}`} className="input" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          <div className="flex gap-2">
            <button type="submit" className="btn-primary" disabled={edit.pending}>Save note</button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>Cancel</button>
          </div>
        </form>
      ) : isNote ? (
        <div className="mt-1"><Markdown text={event.body} /></div>
      ) : (
        <p className="mt-1 text-sm">
          {event.body}
          {typeof event.payload.executionId === "string" && (
            <>
              {" "}
              <a className="text-accent underline" href={`/environments/executions/${encodeURIComponent(event.payload.executionId)}`}>Stored execution</a>
            </>
          )}
        </p>
      )}
      <ActionMessage result={edit.result && !edit.result.ok ? edit.result : null} />
      <div className="mt-1 flex flex-wrap items-center gap-3 text-xs">
        {canEdit && !editing && (
          <button type="button" className="underline" onClick={() => { setText(event.body); setEditing(true); }}>Edit</button>
        )}
        {me.canManage && (
          <form
            className="flex items-center gap-1"
            aria-label={`Key moment for event ${event.seq}`}
            onSubmit={(e) => {
              e.preventDefault();
              const moment = String(new FormData(e.currentTarget).get("moment") ?? "");
              mark.run({ seq: event.seq, version: event.version, moment, label });
            }}
          >
            <label className="sr-only" htmlFor={`km-${event.seq}`}>Key moment</label>
            <select id={`km-${event.seq}`} name="moment" className="input w-auto py-0.5 text-xs" defaultValue={event.keyMoment ?? "none"} key={event.version}>
              <option value="none">Not a key moment</option>
              <option value="detected">Detected</option>
              <option value="mitigated">Mitigated</option>
              <option value="resolved">Resolved</option>
              <option value="custom">Custom…</option>
            </select>
            <label className="sr-only" htmlFor={`kml-${event.seq}`}>Custom label</label>
            <input id={`kml-${event.seq}`} className="input w-32 py-0.5 text-xs" placeholder="label (custom)" value={label} onChange={(e) => setLabel(e.target.value)} />
            <button type="submit" className="btn py-0.5 text-xs" disabled={mark.pending}>Mark</button>
          </form>
        )}
      </div>
      <ActionMessage result={mark.result && !mark.result.ok ? mark.result : null} />
      {revisions && revisions.length > 1 && (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-xs font-medium">History ({revisions.length} versions)</summary>
          <ol className="mt-1 space-y-1">
            {revisions.map((r) => (
              <li key={r.revision} className="border-l-2 border-line pl-2">
                <p className="text-xs text-muted">
                  {r.revision === 1 ? "Original" : `Revision ${r.revision}`} by {r.writtenByName ?? "unknown"}, {utc(r.writtenAt)}
                </p>
                <pre className="whitespace-pre-wrap font-sans">{r.body}</pre>
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
