/**
 * A product's declared scenario checked against the catalog (before a request is filed).
 * Data itself is reached only through the scenario gate (runtime/scenarios/data-gate.ts).
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import { RuntimeError } from '../errors.ts'
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
