import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { currentSeq } from "@/lib/incidents";
import {
  DURATION_LABELS,
  DURATION_NAMES,
  durationsAffected,
  SOURCE_LABELS,
  TIMELINE_SOURCES,
  filterTimeline,
  findGaps,
  formatDuration,
  getReviewDetail,
  listPeople,
  peopleOf,
  runbookChoices,
  timelineQuerySchema,
} from "@/lib/reviews";
import { humanState, utc } from "./format";
import { LiveRefresh } from "./live-refresh";
import { LocalTime } from "./local-time";
import {
  AddEventForm,
  AddReviewerForm,
  AnnotateForm,
  CorrectTimeForm,
  FollowUpForm,
  FollowUpStateForm,
  MarkMomentForm,
  ReviewTextForm,
  WorkflowButton,
} from "./review-forms";

type Props = { params: Promise<{ ref: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Review ${(await params).ref.toUpperCase()}` };
}

const MOMENTS = ["started", "detected", "acknowledged", "mitigated", "resolved"] as const;
const TEXT_SECTIONS = [
  ["summary", "Summary"],
  ["impact", "Impact"],
  ["rootCause", "Root cause"],
  ["contributingFactors", "Contributing factors"],
  ["wentWell", "What went well"],
  ["missingDocs", "Missing docs"],
  ["missingAlerts", "Missing alerts"],
  ["missingAutomation", "Missing automation"],
] as const;

export default async function ReviewPage({ params, searchParams }: Props) {
  const ctx = await pageContext("reviews.read", "/incidents/[ref]/review");
  if (!ctx) return <Forbidden what="reviews" />;
  const { ref } = await params;
  let detail;
  try {
    detail = await getReviewDetail(ctx, ref);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    if (error instanceof ForbiddenError)
      return (
        <div className="max-w-2xl">
          <h1 className="text-2xl font-bold">Review not published yet</h1>
          <p className="mt-2 text-muted">{error.message}</p>
        </div>
      );
    throw error;
  }
  const query = timelineQuerySchema.safeParse(await searchParams);
  const filter = query.success ? query.data : timelineQuerySchema.parse({});
  const role = ctx.actor.role;
  const published = detail.status === "published";
  const canEdit = can(role, "reviews.edit") && !published;
  const canAnnotate = can(role, "reviews.annotate") && !published;
  const canApprove = can(role, "reviews.approve");
  const resolved = detail.incident.status === "resolved" || detail.incident.status === "closed";
  const seq = await currentSeq(ctx.db);
  const [people, runbooks] = canEdit ? await Promise.all([listPeople(ctx), runbookChoices(ctx.db)]) : [[], []];
  const unreliable = durationsAffected(detail.momentProblems);
  const shown = filterTimeline(detail.timeline, { sources: filter.source, person: filter.person });
  const gaps = new Map(findGaps(shown, filter.gap * 60_000).map((g) => [g.afterKey, g.ms]));
  const persons = peopleOf(detail.timeline);
  const base = `/incidents/${detail.incident.ref}/review`;
  const r = detail.review;

  return (
    <div className="max-w-7xl space-y-6">
      <LiveRefresh incidentId={detail.incident.id} after={seq} />
      <header className="space-y-2">
        <p className="text-sm text-muted">
          <Link href={`/incidents/${detail.incident.ref}`} className="underline">{detail.incident.ref}</Link> · {detail.incident.severity} · {humanState(detail.incident.status)}
        </p>
        <h1 className="text-2xl font-bold">Postmortem review: {detail.incident.title}</h1>
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span className="badge" data-testid="review-status">{humanState(detail.status)}</span>
          <span className="text-muted">version {detail.version}</span>
          {detail.deadline && (
            <span data-testid="review-deadline" className={detail.deadline.overdue ? "font-semibold text-sev1" : "text-muted"}>
              {detail.deadline.overdue ? "Overdue: " : "Due: "}review within 48 hours of resolution, by {utc(detail.deadline.dueAt)}
            </span>
          )}
          <span className="text-muted">Export:</span>
          <a className="underline" href={`${base}/export/md`}>Markdown</a>
          <a className="underline" href={`${base}/export/json`}>JSON</a>
          <a className="underline" href={`${base}/export/csv`}>Timeline CSV</a>
        </div>
      </header>

      <section className="panel" aria-labelledby="moments-h">
        <h2 id="moments-h" className="mb-2 text-lg font-semibold">Key moments and durations</h2>
        {detail.momentProblems.length > 0 && (
          <div role="alert" className="mb-3 rounded border border-sev2 p-3 text-sm" data-testid="moment-order-warning">
            <p className="font-semibold">Key moments out of order: the durations they span are left out of the reliability figures until fixed.</p>
            <ul className="mt-1 list-disc pl-5">
              {detail.momentProblems.map((p) => <li key={p.message}>{p.message}</li>)}
            </ul>
          </div>
        )}
        <div className="grid gap-4 md:grid-cols-2">
          <table className="table" aria-label="Key moments">
            <thead><tr><th>Moment</th><th>When</th><th>From</th></tr></thead>
            <tbody>
              {MOMENTS.map((m) => {
                const v = detail.moments[m];
                return (
                  <tr key={m} data-testid={`moment-${m}`}>
                    <td className="capitalize">{m}</td>
                    <td>{v ? <><span>{utc(v.occurredAt)}</span> <LocalTime iso={v.occurredAt} /></> : "—"}</td>
                    <td className="text-sm text-muted">{v ? (v.from === "review" ? `marked in review${v.markedByName ? ` by ${v.markedByName}` : ""}` : "incident record") : "not known"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <table className="table" aria-label="Durations">
            <thead><tr><th>Duration</th><th>Value</th></tr></thead>
            <tbody>
              {DURATION_NAMES.map((n) => (
                <tr key={n}><td>{DURATION_LABELS[n]}</td><td data-testid={`duration-${n}`}>{formatDuration(detail.durations[n])}{unreliable.has(n) && <span className="text-sev2"> (moments out of order)</span>}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="review-h">
        <h2 id="review-h" className="mb-2 text-lg font-semibold">The review</h2>
        {canEdit ? (
          <ReviewTextForm
            incidentId={detail.incident.id}
            version={detail.version}
            text={Object.fromEntries(TEXT_SECTIONS.map(([k]) => [k, r?.[k] ?? ""])) as never}
          />
        ) : (
          <dl className="grid gap-3 md:grid-cols-2">
            {TEXT_SECTIONS.map(([k, label]) => (
              <div key={k}>
                <dt className="font-medium">{label}</dt>
                <dd className="whitespace-pre-wrap text-sm">{r?.[k] || <span className="text-muted">Not written yet.</span>}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section className="panel space-y-3" aria-labelledby="approval-h">
        <h2 id="approval-h" className="text-lg font-semibold">Reviewers and approval</h2>
        {detail.reviewers.length === 0 ? (
          <p className="text-sm text-muted">No reviewers yet.</p>
        ) : (
          <ul className="text-sm">
            {detail.reviewers.map((x) => (
              <li key={x.userId}>
                {x.name}: {x.approvedAt ? (x.approvesCurrent ? `approved version ${x.approvedVersion} (${utc(x.approvedAt)})` : `approved an older version (${x.approvedVersion})`) : "not approved yet"}
              </li>
            ))}
          </ul>
        )}
        <div className="flex flex-wrap items-center gap-3">
          {canEdit && detail.status === "draft" && resolved && <WorkflowButton kind="submit" incidentId={detail.incident.id} version={detail.version} />}
          {canApprove && detail.status === "in_review" && <WorkflowButton kind="approve" incidentId={detail.incident.id} version={detail.version} />}
          {canApprove && detail.status === "in_review" && <WorkflowButton kind="publish" incidentId={detail.incident.id} version={detail.version} />}
          {canEdit && <AddReviewerForm incidentId={detail.incident.id} people={people.filter((p) => p.role === "admin" || p.role === "commander")} />}
        </div>
        {!resolved && <p className="text-sm text-muted">The review can be submitted once the incident is resolved.</p>}
      </section>

      <section className="panel space-y-3" aria-labelledby="timeline-h">
        <h2 id="timeline-h" className="text-lg font-semibold">Timeline</h2>
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter timeline">
          <fieldset className="flex flex-wrap gap-2">
            <legend className="label">Sources</legend>
            {TIMELINE_SOURCES.map((s) => (
              <label key={s} className="flex items-center gap-1 text-sm">
                <input type="checkbox" name="source" value={s} defaultChecked={filter.source.includes(s)} /> {SOURCE_LABELS[s]}
              </label>
            ))}
          </fieldset>
          <div>
            <label htmlFor="filter-person" className="label">Person</label>
            <select id="filter-person" name="person" className="input" defaultValue={filter.person ?? ""}>
              <option value="">Everyone</option>
              {persons.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="filter-gap" className="label">Mark gaps longer than (minutes)</label>
            <input id="filter-gap" name="gap" type="number" min={1} className="input w-28" defaultValue={filter.gap} />
          </div>
          <button type="submit" className="btn">Apply</button>
        </form>
        <p className="text-sm text-muted">{shown.length} of {detail.timeline.length} items; times in UTC, with your own zone beside them.</p>
        <ol className="space-y-2" aria-label="Merged timeline">
          {shown.map((item) => (
            <li key={item.key}>
              <article className="rounded-md border border-line p-3" data-testid="timeline-item" data-source={item.source} aria-label={item.summary}>
                <div className="flex flex-wrap items-baseline gap-2 text-sm">
                  <time dateTime={item.occurredAt} className="font-mono">{utc(item.occurredAt)}</time>
                  <LocalTime iso={item.occurredAt} />
                  <span className="badge">{SOURCE_LABELS[item.source]}</span>
                  {item.person && <span className="text-muted">{item.person}</span>}
                  {item.addedInReview && <span className="badge">added in review</span>}
                  {item.moments.map((m) => <span key={m} className="badge" data-testid="moment-badge">key moment: {m}</span>)}
                </div>
                <p className="mt-1 whitespace-pre-wrap">{item.summary}</p>
                {item.correction && (
                  <p className="text-sm text-muted" data-testid="original-time">
                    Corrected in review by {item.correction.by ?? "someone"}: originally recorded as occurring at {utc(item.originalOccurredAt)}. {item.correction.reason}
                  </p>
                )}
                <p className="text-xs text-muted">Recorded at {utc(item.recordedAt)}</p>
                {item.details.length > 0 && (
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
                    {item.details.map((d) => (
                      <div key={d.label} className="contents"><dt className="text-muted">{d.label}</dt><dd className="whitespace-pre-wrap font-mono text-xs">{d.value}</dd></div>
                    ))}
                  </dl>
                )}
                {item.annotations.length > 0 && (
                  <ul className="mt-1 border-l-2 border-accent pl-2 text-sm">
                    {item.annotations.map((a) => <li key={a.id}><strong>{a.by ?? "Someone"}:</strong> {a.body}</li>)}
                  </ul>
                )}
                {(canEdit || canAnnotate) && (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-sm">Review this item</summary>
                    <div className="mt-2 space-y-2">
                      {canEdit && <MarkMomentForm incidentId={detail.incident.id} itemKey={item.key} />}
                      {canEdit && <CorrectTimeForm incidentId={detail.incident.id} itemKey={item.key} current={item.occurredAt} />}
                      {canAnnotate && <AnnotateForm incidentId={detail.incident.id} itemKey={item.key} />}
                    </div>
                  </details>
                )}
              </article>
              {gaps.has(item.key) && (
                <p role="note" className="my-1 text-center text-sm font-semibold text-sev2" data-testid="gap">
                  Gap of {formatDuration(gaps.get(item.key)!)} with nothing recorded
                </p>
              )}
            </li>
          ))}
        </ol>
        {canEdit && (
          <div className="border-t border-line pt-3">
            <h3 className="mb-2 font-medium">Add an event that was missed</h3>
            <AddEventForm incidentId={detail.incident.id} />
          </div>
        )}
      </section>

      <section className="panel space-y-3" aria-labelledby="followups-h">
        <h2 id="followups-h" className="text-lg font-semibold">Follow-up actions</h2>
        {detail.followUps.length === 0 ? (
          <p className="text-sm text-muted">No follow-ups yet.</p>
        ) : (
          <table className="table" aria-label="Follow-ups">
            <thead><tr><th>Action</th><th>Owner</th><th>Due</th><th>Runbook</th><th>State</th></tr></thead>
            <tbody>
              {detail.followUps.map((f) => (
                <tr key={f.id}>
                  <td>{f.title}</td>
                  <td>{f.ownerName ?? "—"}</td>
                  <td>{f.dueDate ?? "—"}</td>
                  <td>{f.runbookSlug ? <Link className="underline" href={`/runbooks/${f.runbookSlug}`}>{f.runbookAction} runbook {f.runbookSlug}</Link> : "—"}</td>
                  <td>{can(role, "reviews.edit") ? <FollowUpStateForm id={f.id} version={f.version} state={f.state} title={f.title} /> : humanState(f.state)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canEdit && <FollowUpForm incidentId={detail.incident.id} people={people} runbooks={runbooks} />}
      </section>
    </div>
  );
}
