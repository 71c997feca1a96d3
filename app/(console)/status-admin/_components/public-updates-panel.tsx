import { pageContext } from "@/app/_lib/page-context";
import { getIncidentStatusPanel, STATE_LABELS, UPDATE_LABELS } from "@/lib/status";
import { DraftActions, PublishedUpdateActions, UpdateForm } from "./lazy";

function utc(d: Date): string {
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/**
 * The incident page's "Public updates" panel: what stakeholders have been told, drafts, the next
 * update due (SEV1/SEV2), and the form for the comms lead or commander.
 */
export async function PublicUpdatesPanel({ incidentId }: { incidentId: string }) {
  const ctx = await pageContext("incidents.read", "public updates panel");
  if (!ctx) return null;
  const panel = await getIncidentStatusPanel(ctx, incidentId);
  const now = Date.now();
  const reminder = panel.reminder;
  const minutes = reminder ? Math.round(Math.abs(reminder.dueAt.getTime() - now) / 60_000) : 0;
  return (
    <section aria-labelledby="public-updates" className="panel space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="public-updates" className="text-lg font-semibold">Public updates</h2>
        <a href={`/status/incidents/${panel.incident.id}`} className="text-sm underline">Public page</a>
      </div>
      <p className="text-sm text-muted">
        Comms lead: {panel.commsLeadName ?? "not assigned"}
        {panel.isCommsLead ? " (you)" : ""}. Only published updates appear on the status page.
      </p>
      {panel.publicStatus && panel.publicStatus !== "resolved" && (panel.incident.status === "resolved" || panel.incident.status === "closed") && (
        <p role="alert" className="rounded border border-sev1 p-2 text-sm" data-testid="final-update-needed">
          The incident is resolved but the status page still says {UPDATE_LABELS[panel.publicStatus]}. Publish the final update below (status Resolved, pre-filled); closing waits for it.
        </p>
      )}
      {reminder && (
        <p role="status" data-testid="next-update-due" className={`text-sm font-medium ${reminder.overdue ? "text-sev1" : ""}`}>
          {reminder.overdue
            ? `Public update overdue by ${minutes} min (due ${utc(reminder.dueAt)}, every ${reminder.cadenceMinutes} min for ${panel.incident.severity}).`
            : `Next public update due by ${utc(reminder.dueAt)} (in ${minutes} min; every ${reminder.cadenceMinutes} min for ${panel.incident.severity}).`}
          {panel.isCommsLead ? " That is yours to write." : ""}
        </p>
      )}
      {panel.updates.length === 0 ? (
        <p className="text-sm text-muted">Nothing written for stakeholders yet.</p>
      ) : (
        <ol className="space-y-3">
          {panel.updates.map((u) => {
            const kind = u.draft ? "Draft" : u.retractedAt ? "Retracted" : "Published";
            return (
              <li key={u.id} className="border-l-2 border-line pl-3" aria-label={`${kind} update: ${UPDATE_LABELS[u.status]}`}>
                <p className="text-sm">
                  <span className="badge">{kind}</span> <strong>{UPDATE_LABELS[u.status]}</strong> · {u.title}
                  <span className="text-muted">
                    {" "}
                    · {u.draft ? `written by ${u.createdByName} ${utc(u.createdAt)}` : `published by ${u.publishedByName} ${utc(u.publishedAt!)}`}
                  </span>
                </p>
                {u.correctedAt && !u.retractedAt && <p className="text-xs text-muted" data-testid="corrected-by">Corrected by {u.correctedByName} {utc(u.correctedAt)}; the original text is in the audit log.</p>}
                {u.retractedAt && (
                  <p className="text-xs text-muted">
                    Retracted by {u.retractedByName} {utc(u.retractedAt)}: {u.retractionReason}. The status page shows a notice instead of this text.
                  </p>
                )}
                <p className={`whitespace-pre-wrap text-sm ${u.retractedAt ? "line-through opacity-70" : ""}`}>{u.message}</p>
                {u.components.length > 0 && <p className="text-xs text-muted">Components: {u.components.map((c) => `${c.name} (${STATE_LABELS[c.state].toLowerCase()})`).join(", ")}</p>}
                {u.draft && panel.canPublish && <DraftActions update={u} titleFindings={u.titleFindings} messageFindings={u.messageFindings} />}
                {!u.draft && !u.retractedAt && panel.canPublish && (
                  <PublishedUpdateActions update={{ id: u.id, version: u.version, message: u.message, label: `${UPDATE_LABELS[u.status]} ${utc(u.publishedAt!)}` }} people={panel.people} cadenceMinutes={panel.cadenceMinutes} />
                )}
              </li>
            );
          })}
        </ol>
      )}
      {panel.canPublish ? (
        <UpdateForm
          // A new form (fresh defaults) when the incident moves to another stage.
          key={panel.defaultStatus}
          incidentId={panel.incident.id}
          publicTitle={panel.publicTitle}
          templates={panel.templates}
          components={panel.components}
          defaultStatus={panel.defaultStatus}
          incidentOpen={panel.incident.status !== "resolved" && panel.incident.status !== "closed"}
          people={panel.people}
          cadenceMinutes={panel.cadenceMinutes}
        />
      ) : (
        <p className="text-sm text-muted">The incident&apos;s comms lead or commander (or an admin) writes public updates.</p>
      )}
    </section>
  );
}
