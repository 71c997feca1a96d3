"use server";

import { defineAction } from "@/app/_lib/define-action";
import {
  acknowledgeCommand,
  addNote,
  assignRole,
  changeSeverity,
  changeStatus,
  closeWithOverride,
  declareIncident,
  editNote,
  endRole,
  handOverCommand,
  markKeyMoment,
  takeChecklistFromRunbook,
  tickChecklistItem,
  updateChecklistTemplate,
  updateSevDefinition,
} from "@/lib/incidents";
import {
  acknowledgeCommandSchema,
  addNoteSchema,
  assignRoleSchema,
  checklistFromRunbookSchema,
  changeSeveritySchema,
  changeStatusSchema,
  closeWithOverrideSchema,
  declareSchema,
  editNoteSchema,
  endRoleSchema,
  handOverSchema,
  markKeyMomentSchema,
  tickChecklistSchema,
  updateChecklistTemplateSchema,
  updateSevDefinitionSchema,
} from "@/lib/incidents/schemas";

// Each action: session → permission (refusals audited) → zod → one lib call. The lib function
// checks the permission again and owns the transaction, the audit entry and the notification.

export const declareIncidentAction = defineAction(
  { name: "declareIncidentAction", schema: declareSchema, permission: "incidents.declare", redirectTo: (i: { ref: string }) => `/incidents/${i.ref}` },
  (input, ctx) => declareIncident(ctx, input),
);

export const changeStatusAction = defineAction(
  { name: "changeStatusAction", schema: changeStatusSchema, permission: "incidents.manage", successMessage: "Status changed." },
  (input, ctx) => changeStatus(ctx, input),
);

export const changeSeverityAction = defineAction(
  { name: "changeSeverityAction", schema: changeSeveritySchema, permission: "incidents.manage", successMessage: "Severity changed." },
  (input, ctx) => changeSeverity(ctx, input),
);

export const handOverAction = defineAction(
  { name: "handOverAction", schema: handOverSchema, permission: "incidents.manage", successMessage: "Command handed over." },
  (input, ctx) => handOverCommand(ctx, input),
);

export const acknowledgeCommandAction = defineAction(
  { name: "acknowledgeCommandAction", schema: acknowledgeCommandSchema, permission: "incidents.manage", successMessage: "You have command." },
  (input, ctx) => acknowledgeCommand(ctx, input),
);

export const assignRoleAction = defineAction(
  { name: "assignRoleAction", schema: assignRoleSchema, permission: "incidents.manage", successMessage: "Role assigned." },
  (input, ctx) => assignRole(ctx, input),
);

export const endRoleAction = defineAction(
  { name: "endRoleAction", schema: endRoleSchema, permission: "incidents.manage", successMessage: "Role ended." },
  (input, ctx) => endRole(ctx, input),
);

export const addNoteAction = defineAction(
  { name: "addNoteAction", schema: addNoteSchema, permission: "incidents.note", successMessage: "Note added." },
  (input, ctx) => addNote(ctx, input),
);

export const editNoteAction = defineAction(
  { name: "editNoteAction", schema: editNoteSchema, permission: "incidents.note", successMessage: "Note updated." },
  (input, ctx) => editNote(ctx, input),
);

export const markKeyMomentAction = defineAction(
  { name: "markKeyMomentAction", schema: markKeyMomentSchema, permission: "incidents.manage", successMessage: "Key moment saved." },
  (input, ctx) => markKeyMoment(ctx, input),
);

export const tickChecklistAction = defineAction(
  { name: "tickChecklistAction", schema: tickChecklistSchema, permission: "incidents.checklist" },
  (input, ctx) => tickChecklistItem(ctx, input),
);

export const closeWithOverrideAction = defineAction(
  { name: "closeWithOverrideAction", schema: closeWithOverrideSchema, permission: "incidents.close_override", successMessage: "Incident closed by override." },
  (input, ctx) => closeWithOverride(ctx, input),
);

export const updateSevDefinitionAction = defineAction(
  {
    name: "updateSevDefinitionAction",
    schema: updateSevDefinitionSchema,
    permission: "incidents.configure",
    revalidate: ["/incidents/settings"],
    successMessage: "Definition saved.",
  },
  async (input, ctx) => {
    const row = await updateSevDefinition(ctx, input);
    return { severity: row.severity, version: row.version };
  },
);

export const updateChecklistTemplateAction = defineAction(
  {
    name: "updateChecklistTemplateAction",
    schema: updateChecklistTemplateSchema,
    permission: "incidents.configure",
    revalidate: ["/incidents/settings"],
    successMessage: "Checklist saved.",
  },
  async (input, ctx) => {
    const row = await updateChecklistTemplate(ctx, input);
    return { kind: row.kind, version: row.version };
  },
);

export const takeChecklistFromRunbookAction = defineAction(
  {
    name: "takeChecklistFromRunbookAction",
    schema: checklistFromRunbookSchema,
    permission: "incidents.configure",
    revalidate: ["/incidents/settings"],
    successMessage: "Checklist now follows the runbook.",
  },
  async (input, ctx) => {
    const row = await takeChecklistFromRunbook(ctx, input);
    return { kind: row.kind, version: row.version };
  },
);
