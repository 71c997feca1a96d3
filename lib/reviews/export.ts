import { toCsv } from "./csv";
import { DURATION_LABELS, DURATION_NAMES, formatDuration } from "./durations";
import type { ReviewDetail } from "./queries";
import { SOURCE_LABELS, type TimelineItem } from "./timeline/types";
import { reviewMoments } from "@/db/schema/reviews";

// Pure renderers of a ReviewDetail; the route handlers check permissions and call getReviewDetail.

/** Table cells: one line, pipes escaped, so any text stays inside its cell. */
const cell = (v: string | null | undefined) => (v ?? "").replace(/\r?\n+/g, " ").replace(/\|/g, "\\|").trim() || "—";

function timeCell(item: TimelineItem) {
  return item.correction ? `${item.occurredAt} (corrected; recorded as ${item.originalOccurredAt})` : item.occurredAt;
}

function section(title: string, body: string | null | undefined) {
  return `## ${title}\n\n${body?.trim() || "_Not written yet._"}\n`;
}

export function reviewMarkdown(d: ReviewDetail): string {
  const r = d.review;
  const lines: string[] = [];
  lines.push(`# Postmortem review: ${d.incident.ref} — ${d.incident.title}`, "");
  lines.push(`- **Severity:** ${d.incident.severity}`);
  lines.push(`- **Review status:** ${d.status.replace("_", " ")} (version ${d.version})`);
  if (r?.publishedAt) lines.push(`- **Published:** ${r.publishedAt}`);
  if (d.deadline) lines.push(`- **Review due:** ${d.deadline.dueAt}${d.deadline.overdue ? " (OVERDUE)" : ""}`);
  const approvers = d.reviewers.filter((x) => x.approvedAt).map((x) => `${x.name} (${x.approvedAt})`);
  lines.push(`- **Approved by:** ${approvers.length ? approvers.join(", ") : "nobody yet"}`, "");
  lines.push(section("Summary", r?.summary), section("Impact", r?.impact), section("Root cause", r?.rootCause));
  lines.push(section("Contributing factors", r?.contributingFactors), section("What went well", r?.wentWell));
  lines.push("## What was missing", "");
  lines.push(`- **Docs:** ${cell(r?.missingDocs)}`, `- **Alerts:** ${cell(r?.missingAlerts)}`, `- **Automation:** ${cell(r?.missingAutomation)}`, "");
  lines.push("## Key moments", "", "| Moment | Time (UTC) | From |", "|---|---|---|");
  for (const m of reviewMoments) {
    const v = d.moments[m];
    lines.push(`| ${m} | ${v ? v.occurredAt : "—"} | ${v ? (v.from === "review" ? `review (${cell(v.markedByName)})` : "incident record") : "—"} |`);
  }
  lines.push("", "## Durations", "", "| Duration | Value |", "|---|---|");
  for (const n of DURATION_NAMES) lines.push(`| ${DURATION_LABELS[n]} | ${formatDuration(d.durations[n])} |`);
  lines.push("", "## Timeline", "", "| Occurred at (UTC) | Recorded at (UTC) | Source | Person | What happened | Review notes |", "|---|---|---|---|---|---|");
  for (const item of d.timeline) {
    const notes = [
      item.addedInReview ? "added in review" : "",
      item.moments.length ? `key moment: ${item.moments.join(", ")}` : "",
      item.correction ? `time corrected: ${item.correction.reason}` : "",
      ...item.details.map((x) => `${x.label}: ${x.value}`),
      ...item.annotations.map((a) => `${a.by ?? "someone"}: ${a.body}`),
    ].filter(Boolean);
    lines.push(`| ${timeCell(item)} | ${item.recordedAt} | ${SOURCE_LABELS[item.source]} | ${cell(item.person)} | ${cell(item.summary)} | ${cell(notes.join("; "))} |`);
  }
  lines.push("", "## Follow-up actions", "");
  if (d.followUps.length === 0) lines.push("_None yet._");
  else {
    lines.push("| Action | Owner | Due | State | Runbook |", "|---|---|---|---|---|");
    for (const f of d.followUps) {
      const runbook = f.runbookSlug ? `${f.runbookAction === "create" ? "create" : "update"} runbook ${f.runbookSlug}` : "—";
      lines.push(`| ${cell(f.title)} | ${cell(f.ownerName)} | ${f.dueDate ?? "—"} | ${f.state.replace("_", " ")} | ${cell(runbook)} |`);
    }
  }
  return lines.join("\n") + "\n";
}

export function reviewJson(d: ReviewDetail) {
  return {
    incident: d.incident,
    review: d.review && {
      status: d.status,
      version: d.version,
      summary: d.review.summary,
      impact: d.review.impact,
      rootCause: d.review.rootCause,
      contributingFactors: d.review.contributingFactors,
      wentWell: d.review.wentWell,
      missing: { docs: d.review.missingDocs, alerts: d.review.missingAlerts, automation: d.review.missingAutomation },
      publishedAt: d.review.publishedAt,
    },
    reviewers: d.reviewers,
    deadline: d.deadline,
    keyMoments: d.moments,
    durationsMs: d.durations,
    timeline: d.timeline,
    followUps: d.followUps,
  };
}

export function timelineCsv(items: TimelineItem[]): string {
  return toCsv(
    ["occurred_at_utc", "original_occurred_at_utc", "recorded_at_utc", "source", "kind", "person", "summary", "details", "added_in_review", "key_moments", "correction_reason", "annotations"],
    items.map((i) => [
      i.occurredAt,
      i.originalOccurredAt,
      i.recordedAt,
      i.source,
      i.kind,
      i.person ?? "",
      i.summary,
      i.details.map((x) => `${x.label}: ${x.value}`).join("\n"),
      i.addedInReview ? "yes" : "no",
      i.moments.join(" "),
      i.correction?.reason ?? "",
      i.annotations.map((a) => `${a.by ?? ""}: ${a.body}`).join("\n"),
    ]),
  );
}
