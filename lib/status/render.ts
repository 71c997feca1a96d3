import type { ComponentState, PublicUpdateStatus } from "@/db/schema/status";
import type { PublicComponent, PublicIncident, PublicMaintenance, PublicSnapshot } from "./snapshot";
import { HISTORY_DAYS } from "./snapshot";
import { renderMarkdown } from "@/lib/markdown/render";
import { overallUptime, uptimeBars, worstOf, type DayBar } from "./uptime";

// Turns a snapshot into the public documents. Runs when the cache refreshes, never per request.
// Every text is escaped; only fields of the public snapshot are available here.

export const STATE_LABELS: Record<ComponentState, string> = {
  operational: "Operational",
  degraded: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  maintenance: "Under maintenance",
};
export const UPDATE_LABELS: Record<PublicUpdateStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};
const PAGE_SUMMARY: Record<ComponentState, string> = {
  operational: "All systems operational",
  degraded: "Some systems are degraded",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  maintenance: "Maintenance in progress",
};

export type EffectiveComponent = PublicComponent & { effectiveState: ComponentState; bars: DayBar[]; uptime: number | null };
export type PublicView = {
  snapshot: PublicSnapshot;
  now: Date;
  state: ComponentState;
  components: EffectiveComponent[];
  activeIncidents: PublicIncident[];
  pastIncidents: PublicIncident[];
  activeMaintenance: PublicMaintenance[];
  upcomingMaintenance: PublicMaintenance[];
};

/** Derives what the page shows at `now`: maintenance in effect, bars up to now, page state. */
export function deriveView(snapshot: PublicSnapshot, now: Date): PublicView {
  const t = now.getTime();
  const activeMaintenance = snapshot.maintenance.filter((m) => Date.parse(m.startsAt) <= t && Date.parse(m.endsAt) > t);
  const upcomingMaintenance = snapshot.maintenance.filter((m) => Date.parse(m.startsAt) > t);
  const inMaintenance = new Set(activeMaintenance.flatMap((m) => m.components.map((c) => c.id)));
  const components = snapshot.components.map((c) => {
    const bars = uptimeBars(c.history, c.createdAt, now, HISTORY_DAYS);
    const effectiveState: ComponentState = c.state === "operational" && inMaintenance.has(c.id) ? "maintenance" : c.state;
    return { ...c, effectiveState, bars, uptime: overallUptime(bars) };
  });
  return {
    snapshot,
    now,
    state: worstOf(components.map((c) => c.effectiveState)),
    components,
    activeIncidents: snapshot.incidents.filter((i) => i.status !== "resolved"),
    pastIncidents: snapshot.incidents.filter((i) => i.status === "resolved"),
    activeMaintenance,
    upcomingMaintenance,
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

function when(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace("T", " "))} UTC</time>`;
}

/** Update and maintenance messages are markdown, rendered by the console's one renderer (raw HTML shows as text). */
function paragraphs(text: string): string {
  return renderMarkdown(text);
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f7f7f8;--panel:#fff;--fg:#17181c;--muted:#5d6270;--line:#dfe1e6;--ok:#167a3e;--degraded:#975a16;--partial:#b4531a;--major:#c53030;--maint:#2f5fc0;--none:#d5d8de}
@media (prefers-color-scheme:dark){:root{--bg:#111214;--panel:#1a1c20;--fg:#eceef2;--muted:#a0a6b3;--line:#2c2f36;--none:#33363d}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:860px;margin:0 auto;padding:24px 16px 48px}h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.15rem;margin:28px 0 10px}h3{font-size:1rem;margin:0}
a{color:inherit}.muted{color:var(--muted)}.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-bottom:10px}
.banner{border-radius:8px;padding:14px 16px;color:#fff;font-weight:600;margin:16px 0}.banner.s-operational{background:var(--ok)}.banner.s-degraded{background:var(--degraded)}.banner.s-partial_outage{background:var(--partial)}.banner.s-major_outage{background:var(--major)}.banner.s-maintenance{background:var(--maint)}
.state{font-weight:600;font-size:.9rem}.state.s-operational{color:var(--ok)}.state.s-degraded{color:var(--degraded)}.state.s-partial_outage{color:var(--partial)}.state.s-major_outage{color:var(--major)}.state.s-maintenance{color:var(--maint)}
.row{display:flex;justify-content:space-between;gap:12px;align-items:baseline}.bars{display:flex;gap:1px;margin-top:8px;height:28px}.bar{flex:1;border-radius:1px;background:var(--ok)}
.bar.s-none{background:var(--none)}.bar.s-degraded{background:var(--degraded)}.bar.s-partial_outage{background:var(--partial)}.bar.s-major_outage{background:var(--major)}.bar.s-maintenance{background:var(--maint)}
.update{border-left:3px solid var(--line);padding-left:12px;margin-top:10px}.update.retracted{border-left-style:dashed}.corrected{font-size:.85rem;font-style:italic}.update p{margin:4px 0}.tag{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;font-weight:700}
footer{margin-top:36px;font-size:.9rem}
@media (prefers-color-scheme:dark){.state.s-operational{color:#4ade80}.state.s-degraded{color:#f6ad55}.state.s-partial_outage{color:#fb923c}.state.s-major_outage{color:#fc8181}.state.s-maintenance{color:#90b4ff}}
`;

function documentShell(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><link rel="alternate" type="application/atom+xml" title="Status updates" href="/status/feed.atom"><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function componentsLine(list: { name: string; state?: ComponentState }[]): string {
  if (!list.length) return "";
  return `<p class="muted">Affected: ${list.map((c) => escapeHtml(c.name) + (c.state ? ` (${STATE_LABELS[c.state].toLowerCase()})` : "")).join(", ")}</p>`;
}

/** One update; a corrected one says so, a retracted one leaves a notice in its place. */
function updateBlock(u: PublicIncident["updates"][number]): string {
  if (u.retractedAt) {
    return `<article class="update retracted" aria-label="Retracted update" data-testid="retracted-update"><p><span class="tag">Retracted</span> · <span class="muted">${when(u.publishedAt)}</span></p><p class="muted">This update was retracted ${when(u.retractedAt)}: it was published in error and no longer applies.</p></article>`;
  }
  const corrected = u.correctedAt ? ` · <span class="corrected" data-testid="corrected-note">Corrected ${when(u.correctedAt)}</span>` : "";
  return `<article class="update" aria-label="${UPDATE_LABELS[u.status]} update${u.correctedAt ? " (corrected)" : ""}"><p><span class="tag">${UPDATE_LABELS[u.status]}</span> · <span class="muted">${when(u.publishedAt)}</span>${corrected}</p>${paragraphs(u.message)}${componentsLine(u.components)}</article>`;
}

function incidentBlock(incident: PublicIncident, headingLink: boolean): string {
  const heading = headingLink ? `<a href="/status/incidents/${escapeHtml(incident.id)}">${escapeHtml(incident.title)}</a>` : escapeHtml(incident.title);
  const updates = incident.updates.map(updateBlock).join("");
  return `<section class="panel" aria-label="Incident: ${escapeHtml(incident.title)}"><div class="row"><h3>${heading}</h3><span class="state s-${incident.impact}">${UPDATE_LABELS[incident.status]}</span></div>${updates}</section>`;
}

function maintenanceBlock(m: PublicMaintenance, label: string): string {
  return `<section class="panel" aria-label="Maintenance: ${escapeHtml(m.title)}"><div class="row"><h3>${escapeHtml(m.title)}</h3><span class="state s-maintenance">${label}</span></div><p class="muted">${when(m.startsAt)} to ${when(m.endsAt)}</p>${m.message ? paragraphs(m.message) : ""}${componentsLine(m.components)}</section>`;
}

function barsBlock(c: EffectiveComponent): string {
  const label = `${HISTORY_DAYS}-day uptime for ${c.name}: ${c.uptime === null ? "no data" : `${c.uptime.toFixed(2)} %`}`;
  const bars = c.bars
    .map((b) => {
      const text = b.worst === null ? `${b.date}: no data` : `${b.date}: ${b.uptime!.toFixed(2)} % uptime, ${STATE_LABELS[b.worst].toLowerCase()}${b.outageMinutes ? `, ${b.outageMinutes} min of outage` : ""}`;
      return `<span class="bar s-${b.worst ?? "none"}" data-date="${b.date}" data-state="${b.worst ?? "none"}" title="${escapeHtml(text)}"></span>`;
    })
    .join("");
  return `<div class="bars" role="img" aria-label="${escapeHtml(label)}">${bars}</div><div class="row muted" style="font-size:.8rem"><span>${HISTORY_DAYS} days ago</span><span>${c.uptime === null ? "" : `${c.uptime.toFixed(2)} % uptime`}</span><span>Today</span></div>`;
}

export function renderStatusPage(view: PublicView): string {
  const { snapshot } = view;
  const groups = new Map<string, EffectiveComponent[]>();
  for (const c of view.components) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const parts: string[] = [];
  parts.push(`<header><h1>${escapeHtml(snapshot.page.title)}</h1>${snapshot.page.description ? `<p class="muted">${escapeHtml(snapshot.page.description)}</p>` : ""}</header>`);
  parts.push(`<div class="banner s-${view.state}" role="status" data-testid="page-state">${PAGE_SUMMARY[view.state]}</div>`);
  if (view.activeIncidents.length) {
    parts.push(`<h2>Current incidents</h2>${view.activeIncidents.map((i) => incidentBlock(i, true)).join("")}`);
  }
  if (view.activeMaintenance.length || view.upcomingMaintenance.length) {
    parts.push(
      `<h2>Maintenance</h2>${view.activeMaintenance.map((m) => maintenanceBlock(m, "In progress")).join("")}${view.upcomingMaintenance.map((m) => maintenanceBlock(m, "Scheduled")).join("")}`,
    );
  }
  parts.push(`<h2>Components</h2>`);
  if (!view.components.length) parts.push(`<p class="muted">No components are listed yet.</p>`);
  for (const [group, list] of groups) {
    parts.push(`<section aria-label="${escapeHtml(group)}"><h3 style="margin:14px 0 6px">${escapeHtml(group)}</h3>`);
    for (const c of list) {
      parts.push(
        `<div class="panel" data-component="${escapeHtml(c.name)}"><div class="row"><span><strong>${escapeHtml(c.name)}</strong>${c.description ? ` <span class="muted">· ${escapeHtml(c.description)}</span>` : ""}</span><span class="state s-${c.effectiveState}" data-testid="component-state">${STATE_LABELS[c.effectiveState]}</span></div>${barsBlock(c)}</div>`,
      );
    }
    parts.push(`</section>`);
  }
  parts.push(`<h2>Past incidents</h2>`);
  parts.push(
    view.pastIncidents.length
      ? `<ul>${view.pastIncidents
          .map((i) => `<li><a href="/status/incidents/${escapeHtml(i.id)}">${escapeHtml(i.title)}</a> <span class="muted">· resolved ${when(i.resolvedAt ?? i.updatedAt)}</span></li>`)
          .join("")}</ul>`
      : `<p class="muted">No incidents in the last ${HISTORY_DAYS} days.</p>`,
  );
  parts.push(
    `<footer class="muted">Last published ${snapshot.id ? when(snapshot.generatedAt) : "never"} · <a href="/status.json">status.json</a> · <a href="/status/feed.atom">Atom feed</a></footer>`,
  );
  return documentShell(snapshot.page.title, parts.join(""));
}

export function renderIncidentPage(view: PublicView, incident: PublicIncident): string {
  const body = `<p><a href="/status">← ${escapeHtml(view.snapshot.page.title)}</a></p><h1>${escapeHtml(incident.title)}</h1><p class="muted">Started ${when(incident.startedAt)}${incident.resolvedAt ? ` · resolved ${when(incident.resolvedAt)}` : ""}</p>${incidentBlock(incident, false)}`;
  return documentShell(`${incident.title} · ${view.snapshot.page.title}`, body);
}

/** The /status.json document (format described in lib/status/README.md). */
export function renderJson(view: PublicView): string {
  const incident = (i: PublicIncident) => ({
    id: i.id,
    title: i.title,
    status: i.status,
    impact: i.impact,
    startedAt: i.startedAt,
    updatedAt: i.updatedAt,
    resolvedAt: i.resolvedAt,
    url: `/status/incidents/${i.id}`,
    components: i.components,
    updates: i.updates,
  });
  const maintenance = (m: PublicMaintenance) => ({ id: m.id, title: m.title, message: m.message, startsAt: m.startsAt, endsAt: m.endsAt, components: m.components });
  return JSON.stringify({
    format: 1,
    page: {
      title: view.snapshot.page.title,
      description: view.snapshot.page.description,
      state: view.state,
      summary: PAGE_SUMMARY[view.state],
      publishedAt: view.snapshot.id ? view.snapshot.generatedAt : null,
      renderedAt: view.now.toISOString(),
    },
    components: view.components.map((c) => ({
      id: c.id,
      name: c.name,
      group: c.group,
      description: c.description,
      state: c.effectiveState,
      publishedState: c.state,
      stateSince: c.stateSince,
      uptime90d: c.uptime,
    })),
    activeIncidents: view.activeIncidents.map(incident),
    activeMaintenance: view.activeMaintenance.map(maintenance),
    upcomingMaintenance: view.upcomingMaintenance.map(maintenance),
  });
}

export const ATOM_BASE_MARK = "{{base}}";

/** The Atom feed of published updates, newest first; `{{base}}` is the site's origin. */
export function renderAtom(view: PublicView): string {
  const entries = view.snapshot.incidents
    .flatMap((i) => i.updates.map((u) => ({ i, u })))
    .sort((a, b) => b.u.publishedAt.localeCompare(a.u.publishedAt))
    .slice(0, 100);
  const updated = entries[0]?.u.publishedAt ?? view.snapshot.generatedAt;
  const xml = entries
    .map(
      ({ i, u }) =>
        `<entry><id>urn:sitrep:status-update:${u.id}</id><title>${escapeHtml(`${i.title}: ${u.retractedAt ? "Retracted" : UPDATE_LABELS[u.status]}${u.correctedAt && !u.retractedAt ? " (corrected)" : ""}`)}</title><updated>${u.retractedAt ?? u.correctedAt ?? u.publishedAt}</updated><published>${u.publishedAt}</published><link rel="alternate" type="text/html" href="status/incidents/${escapeHtml(i.id)}"/><content type="text">${escapeHtml(u.retractedAt ? "This update was retracted: it was published in error and no longer applies." : u.message)}</content></entry>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="${ATOM_BASE_MARK}/"><id>urn:sitrep:status</id><title>${escapeHtml(view.snapshot.page.title)}</title><updated>${updated}</updated><author><name>${escapeHtml(view.snapshot.page.title)}</name></author><link rel="self" href="status/feed.atom"/><link rel="alternate" type="text/html" href="status"/>${xml}</feed>`;
}
