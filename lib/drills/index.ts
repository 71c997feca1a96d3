// Validation drills: run a runbook revision against an environment, record every step against
// its expectation, sign the result into the runbook's Validation Log. See README.md.
export { startDrill, pauseDrill, resumeDrill, runNextItem, abortDrill, retryItem, skipItem, confirmManual, drillSettled, requiredInputs } from "./engine";
export { signOffDrill, getDrillSettings, updateDrillSettings, type DrillSettings } from "./signoff";
export { getDrillReport, getDrillStartView, listDrills, totalsOf, type DrillReport, type DrillListEntry, type DrillTotals, type DrillStartView } from "./queries";
export { getDrillPlan, getDrillPlanForEdit, saveDrillPlan, type EditablePlan } from "./plans";
export { buildItems, type DrillItem } from "./items";
export { drillPlanSchema, describeAction, type DrillPlan } from "./plan";
export { BUILTIN_PLANS } from "./builtin-plans";
export { DRILLS_CHANNEL } from "./store";
export { saveSchedule, getSchedule, listSchedules, scheduleFormOptions, tick, type ScheduleView, type TickResult } from "./schedules";
export { getRunbookHealth, runbookHealth, MARK_LABELS, type RunbookHealth } from "./health";
export { RESULT_LABELS, computeResult, type DrillResult } from "./result";
export { DEFAULT_SCHEDULE } from "./schedule-spec";
