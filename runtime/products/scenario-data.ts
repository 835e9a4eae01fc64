/**
 * The data a product's declared scenario reaches, read from the store: for `api` products an
 * entity index over the declared tables, for batch products the declared tables as columns.
 * (The scenario approval and masked views of the next stage slot in here.)
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import { RuntimeError } from '../errors.ts'
import { loadEntityIndex, type EntityIndex } from '../entity/entity-index.ts'
import type { Store } from '../store/open-store.ts'
import { readColumns } from '../store/read-columns.ts'
import type { WireTable } from '../sandbox/wire.ts'
import type { ProductManifest } from './manifest.ts'

/** Every table and field the scenario names must exist in the catalog. */
export function checkScenarioAgainstCatalog(manifest: ProductManifest, catalog: Catalog): void {
  for (const [table, request] of Object.entries(manifest.scenario.tables)) {
    const definition = catalog.table(table)
    if (definition === undefined) {
      throw new RuntimeError('ERR_SCENARIO_FIELD_UNKNOWN', 'The scenario names a table the catalog does not have', { details: { table } })
    }
    for (const field of [...Object.keys(request.fields), ...(request.key === undefined ? [] : [request.key])]) {
      if (!definition.fields.some((f) => f.name === field)) {
        throw new RuntimeError('ERR_SCENARIO_FIELD_UNKNOWN', 'The scenario names a field the catalog does not have', { details: { table, field } })
      }
    }
  }
}

export function loadScenarioIndex(store: Store, catalog: Catalog, manifest: ProductManifest): Promise<EntityIndex> {
  checkScenarioAgainstCatalog(manifest, catalog)
  return loadEntityIndex(
    store,
    catalog,
    Object.entries(manifest.scenario.tables).map(([table, t]) => ({ table, key: t.key!, fields: Object.keys(t.fields) })),
  )
}

export async function loadScenarioTables(store: Store, catalog: Catalog, manifest: ProductManifest): Promise<Map<string, WireTable>> {
  checkScenarioAgainstCatalog(manifest, catalog)
  const tables = new Map<string, WireTable>()
  for (const [table, request] of Object.entries(manifest.scenario.tables)) {
    const definition = catalog.table(table)!
    const fields = Object.keys(request.fields).map((name) => definition.fields.find((f) => f.name === name)!)
    tables.set(table, await readColumns(store, definition, fields))
  }
  return tables
}
