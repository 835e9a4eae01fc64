/** The CLI's audit trail: every governing action appends an entry, durably, before the command reports success. */
import type { RuntimeConfig } from '../config.ts'
import { openAuditLog, type AuditEvent } from '../audit/index.ts'
import { openKeys } from '../release/open-keys.ts'

export async function audit(config: RuntimeConfig, ...events: AuditEvent[]): Promise<void> {
  const log = openAuditLog({ path: config.auditPath, key: openKeys(config, 'production').active(), checkpointEvery: 1000 })
  try {
    for (const e of events) await log.append(e)
  } finally {
    await log.close()
  }
}
