export { createEnvironment, updateEnvironment, removeEnvironment, addSurface, removeSurface, addAgent, removeAgent, LIVE_CHANNEL } from "./manage";
export {
  listEnvironments,
  getEnvironmentDetail,
  listRunTargets,
  listSurfaces,
  findEnvironment,
  findEnvironmentByName,
  findAgentWithSecret,
  recentHealthChanges,
  toPublicEnvironment,
  toPublicAgent,
  type PublicEnvironment,
  type PublicAgent,
  type EnvironmentDetail,
  type RunTarget,
} from "./queries";
export { checkSurface, pollEnvironmentHealth, pollAllEnvironments, startHealthPoller, HEALTH_POLL_INTERVAL_MS } from "./health";
export { getFaults, setFault, FAULT_NAMES, type FaultState } from "./faults";
export { registerReference, registerReferenceFromDataDir, REFERENCE_NAME, REFERENCE_FILE } from "./reference";
export { registerEnvironment, environmentRegistrationSchema, type EnvironmentRegistration } from "./registration";
export { outboundUrl, joinOutbound, OutboundUrlError, type OutboundTarget } from "./outbound";
export { requireProductionConfirmation } from "./production";
export { getBoard, type Board, type BoardSurface } from "./board";
