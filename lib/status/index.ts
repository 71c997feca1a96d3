// The public surface of the status area.
export { ensureStatusDefaults, defaultTemplate, DEFAULT_CADENCE_MINUTES } from "./defaults";
export { updateStatusSettings } from "./settings";
export { createComponent, editComponent, archiveComponent, publishComponentState } from "./components";
export { saveUpdate, publishDraft, discardDraft, correctUpdate, retractUpdate, publisherRole, UPDATE_PUBLISHED_EVENT, UPDATE_CORRECTED_EVENT, UPDATE_RETRACTED_EVENT } from "./updates";
export { publicStatusOf, requirePublicResolved } from "./public-checks";
export { updateTemplate, updateCadence } from "./configure";
export { scheduleMaintenance, cancelMaintenance } from "./maintenance";
export {
  createSubscriber,
  setSubscriberActive,
  removeSubscriber,
  enqueueWebhooks,
  deliverDue,
  startWebhookWorker,
  signBody,
  verifySignature,
  SIGNATURE_HEADER,
  EVENT_HEADER,
  DELIVERY_HEADER,
  WEBHOOK_DEFAULTS,
  type PublicSubscriber,
} from "./webhooks";
export { getStatusAdmin, getIncidentStatusPanel, listDeliveries, nextUpdateDue, suggestState, type IncidentStatusPanel, type StatusAdmin, type Reminder } from "./queries";
export { buildSnapshot, storeSnapshot, latestSnapshot, STATUS_CHANNEL, HISTORY_DAYS, type PublicSnapshot } from "./snapshot";
export { getPublicDocuments, invalidatePublicCache, type PublicDocuments } from "./cache";
export { STATE_LABELS, UPDATE_LABELS } from "./render";
export { uptimeBars, overallUptime } from "./uptime";
