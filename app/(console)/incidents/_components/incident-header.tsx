"use client";

import { durationText, hoverText, useNow } from "@/app/_components/time";
import type { IncidentState } from "@/lib/incidents/incident-state";
import { STATUS_LABELS } from "@/lib/incidents/state-machine";
import { LiveIndicator } from "./live-indicator";
import { sevClass, statusClass } from "./format";
import type { LiveState } from "./use-live-events";

/**
 * What a commander needs at a glance, kept on screen while the timeline scrolls: which incident,
 * how bad, where it stands, for how long, who runs it, when stakeholders expect the next word,
 * and the alerts attached to it.
 */
export function IncidentHeader({ state, live, alerts, onPublicUpdates, onHelp, onHelpIntent }: { state: IncidentState; live: LiveState; alerts?: React.ReactNode; onPublicUpdates: () => void; onHelp: () => void; onHelpIntent?: () => void }) {
  const { incident } = state;
  const now = useNow(1000);
  const closed = incident.status === "closed";
  const ended = incident.resolvedAt ?? incident.closedAt;
  const elapsedMs = (ended ? Date.parse(ended) : now) - Date.parse(incident.declaredAt);
  const due = state.publicUpdateDue;
  const dueIn = due ? Date.parse(due.dueAt) - now : 0;
  const late = !!due && (now === 0 ? due.overdue : dueIn <= 0);
  return (
    <header
      className={`sticky top-0 z-10 -mx-3 border-b border-line bg-bg/95 px-3 py-2 backdrop-blur sm:-mx-4 sm:px-4 md:-mx-8 md:px-8 ${incident.severity === "SEV1" && !closed ? "border-l-4 border-l-sev1" : ""}`}
      aria-label={`${incident.ref} summary`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="font-mono text-sm text-muted">{incident.ref}</span>
        <span className={`badge ${sevClass[incident.severity]}`} data-testid="incident-severity">{incident.severity}</span>
        <span className={`badge ${statusClass(incident.status)}`} data-testid="incident-status" tabIndex={-1} id="incident-status">{STATUS_LABELS[incident.status]}</span>
        <h1 className="order-last line-clamp-2 min-w-0 basis-full text-base font-bold break-words sm:order-none sm:basis-auto sm:text-xl" title={incident.title}>{incident.title}</h1>
        <span className="ml-auto flex items-center gap-2">
          <LiveIndicator state={live} />
          <a href={`/incidents/${incident.ref}/review`} className="text-sm text-accent underline">Review</a>
          <button type="button" className="btn px-2 py-0.5 text-xs" onClick={onHelp} onMouseEnter={onHelpIntent} onFocus={onHelpIntent} aria-keyshortcuts="?">
            Keys <kbd aria-hidden className="font-mono">?</kbd>
          </button>
        </span>
      </div>
      <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs sm:gap-x-5 sm:text-sm">
        <div className="flex gap-1">
          <dt className="text-muted">{ended ? "Lasted" : "Elapsed"}</dt>
          <dd className="font-mono" data-testid="incident-elapsed" title={`Declared ${hoverText(new Date(incident.declaredAt))}`}>
            {now === 0 && !ended ? "—" : durationText(elapsedMs)}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-muted">Commander</dt>
          <dd>
            <strong data-testid="incident-commander">{state.commanderName ?? "—"}</strong>
            {state.pendingAcknowledgement && <span className="text-sev2"> (not yet acknowledged)</span>}
          </dd>
        </div>
        {due && (
          <div className="flex gap-1">
            <dt className="text-muted">Public update</dt>
            <dd>
              <button
                type="button"
                onClick={onPublicUpdates}
                data-testid="header-next-update"
                data-late={late}
                title={`Due ${hoverText(new Date(due.dueAt))}; every ${due.cadenceMinutes} min for ${incident.severity}`}
                className={`font-mono underline-offset-2 hover:underline ${late ? "font-semibold text-sev1" : ""}`}
              >
                {now === 0 ? (late ? "overdue" : "due") : late ? `overdue by ${durationText(-dueIn)}` : `due in ${durationText(dueIn)}`}
              </button>
            </dd>
          </div>
        )}
        {alerts && (
          <div className="flex min-w-0 gap-1">
            <dt className="text-muted">Alerts</dt>
            <dd className="min-w-0">{alerts}</dd>
          </div>
        )}
      </dl>
    </header>
  );
}
