/** The governance services as the command line uses them: on the installation's state, its keys and its trail. */
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { openAuditTrail } from '../audit/index.ts'
import type { RuntimeConfig } from '../config.ts'
import { createGovernance, type Governance } from '../governance/index.ts'
import { openKeys } from '../release/open-keys.ts'
import { withState, type State } from '../state/state.ts'

export function cliGovernance<T>(config: RuntimeConfig, work: (governance: Governance, state: State) => Promise<T>): Promise<T> {
  return withState(config.stateDatabase, async (state) => {
    const keys = openKeys(config, 'production')
    const trail = openAuditTrail(state.database, { key: keys.active() })
    try {
      return await work(createGovernance({ state, keys, catalog: loadCatalog(config.catalogDir), trail }), state)
    } finally {
      await trail.close()
    }
  })
}
