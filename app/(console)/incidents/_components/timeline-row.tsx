"use client";

import { useState } from "react";
import { Menu, type MenuItem } from "@/app/_components/menu";
import { When } from "@/app/_components/time";
import { lazyComponent } from "@/app/_components/lazy";
import type { NoteRevisionView } from "@/lib/incidents/queries";
import type { TimelineEventView } from "@/lib/incidents/views";
import { editNoteAction, markKeyMomentAction } from "../actions";
import { NoteBody } from "./note-body";
import { ActionMessage, useIncidentAction } from "./use-action";

// The edit and key-moment forms load when first used.
const EditNoteForm = lazyComponent(() => import("./timeline-row-forms").then((m) => m.EditNoteForm));
const KeyMomentForm = lazyComponent(() => import("./timeline-row-forms").then((m) => m.KeyMomentForm));
const preloadForms = () => {
  EditNoteForm.preload();
  KeyMomentForm.preload();
};

export type TimelineMe = { userId: string; canManage: boolean; canNote: boolean };

/** One timeline entry: when, what, who, the text, and its actions in a menu. */
export function TimelineRow({ incidentId, event, revisions, me, kindLabel }: { incidentId: string; event: TimelineEventView; revisions?: NoteRevisionView[]; me: TimelineMe; kindLabel: string }) {
  const [mode, setMode] = useState<"view" | "edit" | "mark">("view");
  const edit = useIncidentAction(editNoteAction, incidentId);
  const mark = useIncidentAction(markKeyMomentAction, incidentId);
  const isNote = event.kind === "note";
  const canEdit = isNote && me.canNote && (event.actorId === me.userId || me.canManage);
  const late = Math.abs(new Date(event.recordedAt).getTime() - new Date(event.occurredAt).getTime()) > 60_000;
  const backwards = event.kind === "status.changed" && event.payload.backwards === true;
  const targetSeq = typeof event.payload.targetSeq === "number" ? event.payload.targetSeq : null;
  const items: MenuItem[] = [];
  if (canEdit) items.push({ label: "Edit note", onSelect: () => setMode("edit") });
  if (me.canManage) items.push({ label: event.keyMoment ? "Change key moment…" : "Mark as key moment…", onSelect: () => setMode("mark") });
  if (me.canManage && event.keyMoment) {
    items.push({ label: "Remove key-moment mark", danger: true, onSelect: () => mark.run({ seq: event.seq, version: event.version, moment: "none", label: "" }) });
  }
  return (
    <li
      id={`event-${event.seq}`}
      // Pointing at or focusing an entry with actions starts loading their forms.
      onMouseEnter={items.length ? preloadForms : undefined}
      onFocus={items.length ? preloadForms : undefined} className={`panel p-3 ${event.keyMoment ? "border-accent" : ""}`} data-kind={event.kind} data-seq={event.seq}>
      <div className="flex items-start gap-2">
        <div className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-2 gap-y-1 text-xs text-muted">
          <When at={event.occurredAt} show="clock" className="font-mono text-fg" />
          {late && <span>written <When at={event.recordedAt} /></span>}
          <span className={`badge border ${backwards ? "border-sev2 text-sev2" : "border-line"}`}>{backwards ? "Reopened" : kindLabel}</span>
          <span>{event.actorName ?? "Sitrep"}</span>
          {event.keyMoment && <span className="badge bg-accent text-white dark:text-black">★ {event.keyMomentLabel}</span>}
          {event.editedAt && <span>edited by {event.editedBy} <When at={event.editedAt} /></span>}
        </div>
        <Menu label={`Actions for the ${kindLabel.toLowerCase()} entry`} items={items} />
      </div>
      {mode === "edit" ? (
        <EditNoteForm event={event} run={edit.run} pending={edit.pending} onDone={() => setMode("view")} />
      ) : isNote ? (
        <div className="mt-1"><NoteBody html={event.html} text={event.body} /></div>
      ) : (
        <p className="mt-1 text-sm break-words">
          {event.body}
          {targetSeq !== null && (
            <>
              {" "}
              <a className="text-accent underline" href={`#event-${targetSeq}`}>Show the entry</a>
            </>
          )}
          {typeof event.payload.executionId === "string" && (
            <>
              {" "}
              <a className="text-accent underline" href={`/environments/executions/${encodeURIComponent(event.payload.executionId)}`}>Stored execution</a>
            </>
          )}
        </p>
      )}
      {mode === "mark" && <KeyMomentForm event={event} onDone={() => setMode("view")} run={mark.run} pending={mark.pending} />}
      <ActionMessage result={edit.result && !edit.result.ok ? edit.result : null} />
      <ActionMessage result={mark.result && !mark.result.ok ? mark.result : null} />
      {revisions && revisions.length > 1 && (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-xs font-medium">History ({revisions.length} versions)</summary>
          <ol className="mt-1 space-y-1">
            {revisions.map((r) => (
              <li key={r.revision} className="border-l-2 border-line pl-2">
                <p className="text-xs text-muted">
                  {r.revision === 1 ? "Original" : `Revision ${r.revision}`} by {r.writtenByName ?? "unknown"}, <When at={r.writtenAt} />
                </p>
                <pre className="whitespace-pre-wrap break-words font-sans">{r.body}</pre>
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
