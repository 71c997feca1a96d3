"use server";

import { defineAction } from "@/app/_lib/define-action";
import {
  archiveComponent,
  cancelMaintenance,
  createComponent,
  correctUpdate,
  createSubscriber,
  discardDraft,
  retractUpdate,
  publishComponentState,
  publishDraft,
  removeSubscriber,
  saveUpdate,
  scheduleMaintenance,
  setSubscriberActive,
  updateCadence,
  updateStatusSettings,
  updateTemplate,
} from "@/lib/status";
import {
  archiveComponentSchema,
  cancelMaintenanceSchema,
  createComponentSchema,
  correctUpdateSchema,
  createSubscriberSchema,
  discardDraftSchema,
  retractUpdateSchema,
  publishComponentStateSchema,
  publishDraftSchema,
  removeSubscriberSchema,
  saveUpdateSchema,
  scheduleMaintenanceSchema,
  setSubscriberActiveSchema,
  updateCadenceSchema,
  updateSettingsSchema,
  updateTemplateSchema,
} from "@/lib/status/schemas";

// Each action: session → permission (refusals audited) → zod → one lib call, which checks again
// (and, for updates, that the caller is the incident's comms lead or commander).

const ADMIN = ["/status-admin"];

export const updateSettingsAction = defineAction(
  { name: "updateSettingsAction", schema: updateSettingsSchema, permission: "status.manage", revalidate: ADMIN, successMessage: "Settings saved." },
  (input, ctx) => updateStatusSettings(ctx, input),
);

export const createComponentAction = defineAction(
  { name: "createComponentAction", schema: createComponentSchema, permission: "status.manage", revalidate: ADMIN, successMessage: "Component added." },
  (input, ctx) => createComponent(ctx, input),
);

export const archiveComponentAction = defineAction(
  { name: "archiveComponentAction", schema: archiveComponentSchema, permission: "status.manage", revalidate: ADMIN, successMessage: "Component removed from the page." },
  (input, ctx) => archiveComponent(ctx, input),
);

export const publishComponentStateAction = defineAction(
  { name: "publishComponentStateAction", schema: publishComponentStateSchema, permission: "status.components", revalidate: ADMIN, successMessage: "State published." },
  (input, ctx) => publishComponentState(ctx, input),
);

export const saveUpdateAction = defineAction(
  { name: "saveUpdateAction", schema: saveUpdateSchema, permission: "status.publish", revalidate: ["/status-admin", "/incidents"], successMessage: "Update saved." },
  async (input, ctx) => {
    const row = await saveUpdate(ctx, input);
    return { id: row.id, draft: row.draft };
  },
);

export const publishDraftAction = defineAction(
  { name: "publishDraftAction", schema: publishDraftSchema, permission: "status.publish", revalidate: ["/status-admin", "/incidents"], successMessage: "Update published." },
  async (input, ctx) => (await publishDraft(ctx, input)).id,
);

export const discardDraftAction = defineAction(
  { name: "discardDraftAction", schema: discardDraftSchema, permission: "status.publish", revalidate: ["/status-admin", "/incidents"], successMessage: "Draft discarded." },
  (input, ctx) => discardDraft(ctx, input),
);

export const correctUpdateAction = defineAction(
  { name: "correctUpdateAction", schema: correctUpdateSchema, permission: "status.publish", revalidate: ["/status-admin", "/incidents"], successMessage: "Correction published." },
  async (input, ctx) => (await correctUpdate(ctx, input)).id,
);

export const retractUpdateAction = defineAction(
  { name: "retractUpdateAction", schema: retractUpdateSchema, permission: "status.publish", revalidate: ["/status-admin", "/incidents"], successMessage: "Update retracted." },
  async (input, ctx) => (await retractUpdate(ctx, input)).id,
);

export const updateTemplateAction = defineAction(
  { name: "updateTemplateAction", schema: updateTemplateSchema, permission: "status.manage", revalidate: ADMIN, successMessage: "Template saved." },
  async (input, ctx) => (await updateTemplate(ctx, input)).version,
);

export const updateCadenceAction = defineAction(
  { name: "updateCadenceAction", schema: updateCadenceSchema, permission: "status.manage", revalidate: ADMIN, successMessage: "Reminder saved." },
  async (input, ctx) => (await updateCadence(ctx, input)).version,
);

export const scheduleMaintenanceAction = defineAction(
  { name: "scheduleMaintenanceAction", schema: scheduleMaintenanceSchema, permission: "status.components", revalidate: ADMIN, successMessage: "Maintenance scheduled." },
  async (input, ctx) => (await scheduleMaintenance(ctx, input)).id,
);

export const cancelMaintenanceAction = defineAction(
  { name: "cancelMaintenanceAction", schema: cancelMaintenanceSchema, permission: "status.components", revalidate: ADMIN, successMessage: "Maintenance cancelled." },
  async (input, ctx) => (await cancelMaintenance(ctx, input)).id,
);

export const createSubscriberAction = defineAction(
  { name: "createSubscriberAction", schema: createSubscriberSchema, permission: "status.manage", revalidate: ADMIN },
  async (input, ctx) => {
    const { subscriber, secret } = await createSubscriber(ctx, input);
    return { id: subscriber.id, url: subscriber.url, secret };
  },
);

export const setSubscriberActiveAction = defineAction(
  { name: "setSubscriberActiveAction", schema: setSubscriberActiveSchema, permission: "status.manage", revalidate: ADMIN, successMessage: "Subscriber updated." },
  async (input, ctx) => (await setSubscriberActive(ctx, input)).id,
);

export const removeSubscriberAction = defineAction(
  { name: "removeSubscriberAction", schema: removeSubscriberSchema, permission: "status.manage", revalidate: ADMIN, successMessage: "Subscriber removed." },
  (input, ctx) => removeSubscriber(ctx, input),
);
