export { openAuditLog, entryHash, GENESIS, type AuditEvent, type AuditEntry, type AuditLog } from './audit-log.ts'
export { verifyAuditFile, type AuditVerdict, type AuditProblem } from './verify-audit.ts'
export { readAuditEntries, type AuditQuery } from './read-audit.ts'
