// The public surface of the incidents area.
export { declareIncident } from "./declare";
export { changeStatus } from "./change-status";
export { changeSeverity } from "./change-severity";
export { handOverCommand } from "./hand-over";
export { assignRole, endRole } from "./assign-role";
export { addNote } from "./add-note";
export { editNote } from "./edit-note";
export { markKeyMoment, KEY_MOMENT_LABELS } from "./mark-key-moment";
export { tickChecklistItem, type ChecklistItemView } from "./tick-checklist";
export { closeWithOverride } from "./close-with-override";
export { updateSevDefinition, updateChecklistTemplate } from "./configure";
export { takeChecklistFromRunbook, runbookChecklistChoices } from "./checklist-from-runbook";
export { ensureIncidentDefaults, DEFAULT_CHECKLISTS, DEFAULT_SEV_DEFINITIONS } from "./defaults";
export {
  listIncidents,
  getIncidentDetail,
  listTimeline,
  listSevDefinitions,
  listChecklistTemplates,
  listAssignableUsers,
  surfaceSuggestions,
  currentSeq,
  eventsAfter,
  type IncidentListItem,
  type IncidentDetail,
  type ChecklistView,
  type RoleAssignmentView,
  type NoteRevisionView,
} from "./queries";
export { openEventStream, parseLastEventId, watchTimelineGaps, type Listen } from "./live";
export { INCIDENT_CHANNEL } from "./record";
export * from "./state-machine";
export type { IncidentView, TimelineEventView } from "./views";
export { acknowledgeCommand } from "./acknowledge-command";
export { getIncidentState, type IncidentState, type PendingAcknowledgement, type PublicUpdateDue, type StepRunView } from "./incident-state";
export { listTimelinePage, timelineFacets, cursorOf, KEY_MOMENTS_FILTER, type TimelinePage, type TimelineFacets } from "./timeline-page";
export { checksCoveringItem } from "./recovery-ticks";
export { myAssignments, type MyAssignment } from "./my-assignments";
