// One file per area; each area adds its line here.
export * from "./users";
export * from "./audit";
export * from "./runbooks";
export * from "./environments";
export * from "./executions";
export * from "./incidents";
export * from "./drills";
export * from "./reviews";
export * from "./status";
export * from "./triage";
export * from "./notifications";
export * from "./alerts";
export * from "./idempotency";
