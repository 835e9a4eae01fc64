/** What the governance actions act on, and the one way they write: a change and its audit entries in one transaction. */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { AuditEntry, AuditEvent, AuditTrail } from '../audit/index.ts'
import type { KeyStore } from '../release/key-store.ts'
import type { StateTransaction } from '../state/state-database.ts'
import type { State } from '../state/state.ts'

export type GovernanceDeps = {
  readonly state: State
  readonly keys: KeyStore
  readonly catalog: Catalog
  /** The installation's trail, opened on `state.database` (so that its entries join the change's transaction). */
  readonly trail: AuditTrail
}

export type Audit = (event: AuditEvent) => Promise<AuditEntry>

/**
 * Runs `work` — the stores' changes and the entries it audits — in one transaction: the change is
 * stored with its entries or not at all (a trail that cannot be written refuses the change too).
 */
export function auditedChange(deps: { readonly state: State; readonly trail: Pick<AuditTrail, 'append'> }): <T>(work: (audit: Audit, tx: StateTransaction) => Promise<T>) => Promise<T> {
  return (work) => deps.state.database.transaction((tx) => work((event) => deps.trail.append(event), tx))
}
