/**
 * The platform's governance state behind one module: partners and other principals, scenarios
 * and their decisions, product versions and their reviews, the registry of consumers and
 * published products, and the release ledger with its meters. It lives in a transactional
 * database (state-database.ts): by default one embedded file that a command can use beside a
 * running server, or PostgreSQL, which several API replicas share. The analytical store and the
 * masked views stay in DuckDB.
 */
import { createScenarioStore, type ScenarioStore } from '../scenarios/scenario-store.ts'
import { createReleaseStore, type ReleaseStore } from '../release/release-store.ts'
import { createRegistry, type Registry } from '../server/registry.ts'
import { createPrincipals, type Principals } from './principals.ts'
import { createProductVersions, type ProductVersions } from './product-versions.ts'
import { openStateDatabase, type StateDatabase, type StateDatabaseOptions } from './state-database.ts'

export type State = {
  readonly principals: Principals
  readonly scenarios: ScenarioStore
  readonly versions: ProductVersions
  readonly registry: Registry
  readonly releases: ReleaseStore
  /** The database itself (its kind and location, and transactions that span stores). */
  readonly database: StateDatabase
  close(): Promise<void>
}

/** Opens the state at `location` (a file path, or a `postgres://` URL), migrating its schema to this version. */
export async function openState(location: string, options: StateDatabaseOptions = {}): Promise<State> {
  const database = await openStateDatabase(location, options)
  return {
    principals: createPrincipals(database),
    scenarios: createScenarioStore(database),
    versions: createProductVersions(database),
    registry: createRegistry(database),
    releases: createReleaseStore(database),
    database,
    close: () => database.close(),
  }
}

/** Runs `work` on the state at `location`, closing it afterwards (CLI commands). */
export async function withState<T>(location: string, work: (state: State) => Promise<T>): Promise<T> {
  const state = await openState(location)
  try {
    return await work(state)
  } finally {
    await state.close()
  }
}
