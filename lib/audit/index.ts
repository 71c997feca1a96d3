export { writeAudit, writeAuditEntries, type AuditInput } from "./write";
export { verifyAuditChain, type ChainVerdict } from "./verify";
export { listAuditEntries, auditFilterSchema, type AuditFilter } from "./queries";
