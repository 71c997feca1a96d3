import "server-only";
import type { Db } from "@/db/client";
import type { Drill } from "@/db/schema";
import { notifyRunbookOwner } from "@/lib/notifications";
import { enqueueWebhooks } from "@/lib/status/webhooks";
import { RESULT_LABELS, type DrillResult } from "./result";

// A scheduled drill never signs itself off. When it ends, the runbook's owner hears about it in
// the console, and the same event goes to outgoing webhooks that asked for drill events — in the
// transaction that records the end, so the news and the result cannot disagree.

export const DRILL_WEBHOOK_TOPIC = "drills";

export async function announceFinished(tx: Db, drill: Drill): Promise<void> {
  if (drill.trigger !== "schedule") return;
  const result = (drill.result ?? "failed") as DrillResult;
  const green = drill.state === "completed" && result !== "failed";
  const kind = green ? "drill.scheduled.passed" : "drill.scheduled.failed";
  const title = green
    ? `Scheduled drill of "${drill.runbookTitle}" ${RESULT_LABELS[result]}: awaiting sign-off`
    : `Scheduled drill of "${drill.runbookTitle}" failed: the runbook is failing`;
  const data = {
    drill: { id: drill.id, state: drill.state, result, reason: drill.reason, startedAt: drill.startedAt.toISOString(), finishedAt: drill.finishedAt?.toISOString() ?? null },
    runbook: { id: drill.runbookId, slug: drill.runbookSlug, title: drill.runbookTitle, revision: drill.revisionNumber },
    environment: drill.environmentName,
  };
  await notifyRunbookOwner(tx, { runbookId: drill.runbookId, kind, title, body: drill.reason ?? "", link: `/drills/${drill.id}`, data });
  await enqueueWebhooks(tx, kind, data, { topic: DRILL_WEBHOOK_TOPIC });
}
