/** The CLI's audit trail: every governing action appends an entry, durably, before the command reports success. */
import type { RuntimeConfig } from '../config.ts'
import { openAuditTrail, type AuditEvent } from '../audit/index.ts'
import { openKeys } from '../release/open-keys.ts'
import { withState } from '../state/state.ts'

export async function audit(config: RuntimeConfig, ...events: AuditEvent[]): Promise<void> {
  await withState(config.stateDatabase, async (state) => {
    const trail = openAuditTrail(state.database, { key: openKeys(config, 'production').active() })
    try {
      for (const e of events) await trail.append(e)
    } finally {
      await trail.close()
    }
  })
}
