import "server-only";
import { getDatabase, getDb } from "@/db/client";
import { ensureStatusDefaults } from "./defaults";
import { startWebhookWorker } from "./webhooks";

const globalForStatus = globalThis as unknown as { __sitrepStatusWorker?: () => void };

/** Start hook: settings, templates and cadences, a first snapshot, then the webhook delivery loop. */
export async function startStatus(): Promise<void> {
  await ensureStatusDefaults((await getDatabase()).db);
  globalForStatus.__sitrepStatusWorker ??= startWebhookWorker(getDb);
}
