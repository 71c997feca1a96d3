export { startExecution, startStepExecution, loadStep, checkInputs, RUNNER_ID } from "./start";
export { cancelExecution } from "./cancel";
export { getExecution, getExecutionWithOutput, listExecutions, latestCaptures, type ExecutionView } from "./queries";
export { markOrphansLost, RESTART_REASON } from "./lost";
export { executionDone, segmentsOf, type CommandResult, type Capture } from "./runner";
export { chunksAfter, EXECUTIONS_CHANNEL } from "./output";
export { openExecutionStream } from "./stream";
export { incidentChoicesForRun, STEP_FINISHED_EVENT, STEP_STARTED_EVENT, type RunIncidentChoice } from "./incident-link";
export { beat, ensureBeating, forgetOldRunners, isRunnerAlive, runnerIsDead, HEARTBEAT_MS, STALE_AFTER_MS } from "./runners";
