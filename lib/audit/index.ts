export { writeAudit, writeAuditEntries, carryAuditEntries, LOCKED_AUDIT_HEAD, auditHeadOf, type AuditHead, type AuditInput } from "./write";
export { verifyAuditChain, type ChainVerdict } from "./verify";
export { listAuditEntries, auditFilterSchema, type AuditFilter } from "./queries";
