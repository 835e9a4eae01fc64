/**
 * Ids of statistical units for the audit across releases. A unit's id is stable across products
 * and scenarios for one kind of unit (a person is the same person in every report), and says
 * nothing of its key without the installation's secret: the first 52 bits of
 * SHA-256(secret | kind | key), a number (exact in a double). They are computed once per data
 * version, when a scenario's views are built (beside each view's raw keys), never per run, and
 * never leave the runtime.
 *
 * With 52 bits, two units of a million share an id with probability about 1e-4; two units sharing
 * an id count as one in the audit (it then sees one fewer unit in their cells).
 */
import { hash } from 'node:crypto'
import type { Catalog } from '../../catalog/load-catalog.ts'
import { quoteLiteral } from '../store/schema.ts'

/** The column of unit ids in a view's key table. */
export const UNIT_COLUMN = 'indomain_unit'

/** The id domain of a table's key: the root of its catalog references, e.g. `household_registration.resident_id`. */
export function unitKind(catalog: Catalog, table: string, field: string): string {
  let at = `${table}.${field}`
  for (let hops = 0; hops < 8; hops++) {
    const [t, f] = at.split('.') as [string, string]
    const references = catalog.table(t)?.fields.find((x) => x.name === f)?.references
    if (references === undefined) return at
    at = references
  }
  return at
}

function prefixOf(secret: Buffer, kind: string): string {
  return `${secret.toString('hex')}|${kind}|`
}

/** A unit's id, here. */
export function unitIdOf(secret: Buffer, kind: string, key: string): number {
  return parseInt(hash('sha256', prefixOf(secret, kind) + key).slice(0, 13), 16)
}

/** The same id in DuckDB, of the text expression `key`. */
export function unitIdSql(secret: Buffer, kind: string, key: string): string {
  return `CAST(CAST(('0x' || substr(sha256(${quoteLiteral(prefixOf(secret, kind))} || ${key}), 1, 13)) AS BIGINT) AS DOUBLE)`
}
