/**
 * The platform's governance state behind one module: partners and other principals, scenarios
 * and their decisions, product versions and their reviews, the registry of consumers and
 * published products, and the release ledger with its meters. By default it is one embedded
 * DuckDB file (locked down like the store), each part on its own connection so that their
 * transactions never interleave; a PostgreSQL backend can take over by implementing `State`.
 * One process holds the file: while a server runs, state changes go through its routes.
 */
import { openStore } from '../store/open-store.ts'
import { createScenarioStore, type ScenarioStore } from '../scenarios/scenario-store.ts'
import { createReleaseStore, type ReleaseStore } from '../release/release-store.ts'
import { createRegistry, type Registry } from '../server/registry.ts'
import { createPrincipals, type Principals } from './principals.ts'
import { createProductVersions, type ProductVersions } from './product-versions.ts'

export type State = {
  readonly principals: Principals
  readonly scenarios: ScenarioStore
  readonly versions: ProductVersions
  readonly registry: Registry
  readonly releases: ReleaseStore
  /** Commits pending ledger writes, then closes the database. */
  close(): Promise<void>
}

export async function openState(path: string): Promise<State> {
  const db = await openStore(path, { access: 'read-write', create: true })
  try {
    const state: State = {
      principals: await createPrincipals(await db.connect()),
      scenarios: await createScenarioStore(await db.connect()),
      versions: await createProductVersions(await db.connect()),
      registry: await createRegistry(await db.connect()),
      releases: await createReleaseStore(await db.connect()),
      async close() {
        await state.releases.flush()
        db.close()
      },
    }
    return state
  } catch (error) {
    db.close()
    throw error
  }
}

/** Runs `work` on the state at `path`, closing it afterwards (CLI commands). */
export async function withState<T>(path: string, work: (state: State) => Promise<T>): Promise<T> {
  const state = await openState(path)
  try {
    return await work(state)
  } finally {
    await state.close()
  }
}
