import { pageContext } from "@/app/_lib/page-context";
import { getIncidentStatusPanel, STATE_LABELS, UPDATE_LABELS } from "@/lib/status";
import { discardDraftAction, publishDraftAction } from "../actions";
import { ActionForm } from "./action-form";
import { UpdateForm } from "./update-form";

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
          {panel.updates.map((u) => (
            <li key={u.id} className="border-l-2 border-line pl-3" aria-label={`${u.draft ? "Draft" : "Published"} update: ${UPDATE_LABELS[u.status]}`}>
              <p className="text-sm">
                <span className="badge">{u.draft ? "Draft" : "Published"}</span> <strong>{UPDATE_LABELS[u.status]}</strong> · {u.title}
                <span className="text-muted">
                  {" "}
                  · {u.draft ? `written by ${u.createdByName} ${utc(u.createdAt)}` : `published by ${u.publishedByName} ${utc(u.publishedAt!)}`}
                </span>
              </p>
              <p className="whitespace-pre-wrap text-sm">{u.message}</p>
              {u.components.length > 0 && <p className="text-xs text-muted">Components: {u.components.map((c) => `${c.name} (${STATE_LABELS[c.state].toLowerCase()})`).join(", ")}</p>}
              {u.draft && panel.canPublish && (
                <div className="mt-2 flex flex-wrap gap-3">
                  <ActionForm action={publishDraftAction} label={`Publish draft ${u.id.slice(0, 8)}`} submit="Publish draft" className="flex gap-2">
                    <input type="hidden" name="updateId" value={u.id} />
                    <input type="hidden" name="version" value={u.version} />
                  </ActionForm>
                  <ActionForm action={discardDraftAction} label={`Discard draft ${u.id.slice(0, 8)}`} submit="Discard" danger className="flex gap-2">
                    <input type="hidden" name="updateId" value={u.id} />
                    <input type="hidden" name="version" value={u.version} />
                  </ActionForm>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {panel.canPublish ? (
        <UpdateForm incidentId={panel.incident.id} publicTitle={panel.publicTitle} templates={panel.templates} components={panel.components} />
      ) : (
        <p className="text-sm text-muted">The incident&apos;s comms lead or commander (or an admin) writes public updates.</p>
      )}
    </section>
  );
}
