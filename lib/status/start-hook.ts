import "server-only";
import { getDatabase, getDb } from "@/db/client";
import { ensureStatusDefaults } from "./defaults";
import { registerPublicFastPath } from "./fast-path";
import { startWebhookWorker } from "./webhooks";

const globalForStatus = globalThis as unknown as { __sitrepStatusWorker?: () => void };

/** Start hook: the public fast path, settings, templates and cadences, a first snapshot, then the webhook delivery loop. */
export async function startStatus(): Promise<void> {
  registerPublicFastPath();
  await ensureStatusDefaults((await getDatabase()).db);
  globalForStatus.__sitrepStatusWorker ??= startWebhookWorker(getDb);
}
