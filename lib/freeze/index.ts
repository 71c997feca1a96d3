export { RISK_CLASSES, PROXIED_ACTIONS, classifyStep, type RiskClass } from "./risk";
export { stepTarget, refusedDuringFreeze, type RefusedRequest, activeFreeze, approveExecution, checkFreeze, freezeEnvironment, freezesForIncident, liftFreeze, approveSchema, freezeSchema, liftSchema, FREEZE_CHANNEL, type FreezeCheck } from "./freeze";
export { replayDlqEntry, dlqReplaySchema } from "./actions";
