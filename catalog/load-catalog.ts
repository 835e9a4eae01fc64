/**
 * Loads and validates the catalog: every `<id>.json` in a folder is one table definition.
 * Validation collects every problem, each naming its table and field, and fails with
 * `ERR_CATALOG_INVALID` so that an operator who edited a definition sees all mistakes at once.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DIRECT_IDENTIFIER_KINDS, isGeneralizeTargetCompatible } from './classification.ts'
import { tableDefinitionSchema, type FieldDefinition, type TableDefinition } from './table-definition.ts'
import { CatalogError, type CatalogIssue } from './catalog-error.ts'

export type Catalog = {
  /** Tables in a stable order (by id). */
  readonly tables: readonly TableDefinition[]
  /** SHA-256 over the canonical JSON of every definition: which catalog a store was built with. */
  readonly hash: string
  table(id: string): TableDefinition | undefined
}

/** The catalog shipped with the project. */
export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL('./tables/', import.meta.url))

/** Reads every `*.json` in `dir` and validates it. Throws `CatalogError` listing every issue. */
export function loadCatalog(dir: string = DEFAULT_CATALOG_DIR): Catalog {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
  const sources = files.map((file) => {
    const table = basename(file, '.json')
    try {
      return { table, raw: JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown }
    } catch (cause) {
      return { table, raw: undefined, parseError: cause instanceof Error ? cause.message : String(cause) }
    }
  })
  return buildCatalog(sources)
}

type Source = { table: string; raw: unknown; parseError?: string }

/** Validates definitions already read (one per source file); pure, for tests and imports. */
export function buildCatalog(sources: readonly Source[]): Catalog {
  const issues: CatalogIssue[] = []
  const tables: TableDefinition[] = []
  for (const source of sources) {
    if (source.parseError !== undefined) {
      issues.push({ table: source.table, message: `is not valid JSON: ${source.parseError}` })
      continue
    }
    const parsed = tableDefinitionSchema.safeParse(source.raw)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(describeSchemaIssue(source, issue))
      continue
    }
    if (parsed.data.id !== source.table) {
      issues.push({ table: source.table, message: `id "${parsed.data.id}" does not match the file name` })
    }
    tables.push(parsed.data)
  }
  if (sources.length === 0) issues.push({ table: '*', message: 'the catalog has no table definitions' })
  issues.push(...checkTables(tables))
  if (issues.length > 0) throw new CatalogError(issues)

  tables.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const byId = new Map(tables.map((t) => [t.id, deepFreeze(t)]))
  const hash = createHash('sha256').update(JSON.stringify(tables)).digest('hex')
  return Object.freeze({
    tables: Object.freeze([...byId.values()]),
    hash,
    table: (id: string) => byId.get(id),
  })
}

function describeSchemaIssue(source: Source, issue: { path: PropertyKey[]; message: string }): CatalogIssue {
  const path = issue.path
  if (path[0] === 'fields' && typeof path[1] === 'number') {
    const fields = (source.raw as { fields?: { name?: unknown }[] }).fields
    const name = fields?.[path[1]]?.name
    return {
      table: source.table,
      field: typeof name === 'string' ? name : `#${path[1] + 1}`,
      message: `${path.slice(2).join('.') || 'field'}: ${issue.message}`,
    }
  }
  return { table: source.table, message: `${path.join('.') || 'definition'}: ${issue.message}` }
}

function checkTables(tables: readonly TableDefinition[]): CatalogIssue[] {
  const issues: CatalogIssue[] = []
  const seen = new Map<string, TableDefinition>()
  for (const t of tables) {
    if (seen.has(t.id)) issues.push({ table: t.id, message: 'is defined twice' })
    seen.set(t.id, t)
  }
  // references are checked against the whole catalog, whatever the file order
  for (const t of tables) {
    const names = new Set<string>()
    for (const f of t.fields) {
      if (names.has(f.name)) issues.push({ table: t.id, field: f.name, message: 'is defined twice' })
      names.add(f.name)
      for (const message of checkField(f)) issues.push({ table: t.id, field: f.name, message })
      if (f.references !== undefined) {
        const [refTable, refField] = f.references.split('.') as [string, string]
        const target = seen.get(refTable)
        if (target === undefined) {
          issues.push({ table: t.id, field: f.name, message: `references unknown table "${refTable}"` })
        } else if (!target.fields.some((g) => g.name === refField)) {
          issues.push({ table: t.id, field: f.name, message: `references unknown field "${f.references}"` })
        }
      }
    }
    for (const k of t.key) {
      const field = t.fields.find((f) => f.name === k)
      if (field === undefined) issues.push({ table: t.id, field: k, message: 'is in the key but not defined' })
      else if (!field.required) issues.push({ table: t.id, field: k, message: 'is in the key and must be required' })
    }
  }
  return issues
}

/** Rules of one field definition that the schema alone cannot express. */
function checkField(f: FieldDefinition): string[] {
  const problems: string[] = []
  const mask = f.mask
  if (f.level === 'L4' && mask.rule === 'keep') {
    problems.push('is L4 (highly sensitive) and may not default to mask "keep"')
  }
  if (DIRECT_IDENTIFIER_KINDS.has(f.identifier) && mask.rule === 'keep') {
    problems.push(`is a direct identifier (${f.identifier}) and may not default to mask "keep"`)
  }
  if (['resident_id', 'phone', 'bank_card', 'name'].includes(f.identifier) && !f.personal) {
    problems.push(`holds ${f.identifier} and must be flagged personal`)
  }
  if (mask.rule === 'generalize' && !isGeneralizeTargetCompatible(mask.to, f.type, f.identifier)) {
    problems.push(`mask generalize to "${mask.to}" does not apply to a ${f.type} field of identifier kind ${f.identifier}`)
  }
  if (mask.rule === 'bucketize' && f.type !== 'integer' && f.type !== 'decimal') {
    problems.push('mask bucketize applies only to integer or decimal fields')
  }
  if (mask.rule === 'partial' && f.type !== 'text') problems.push('mask partial applies only to text fields')
  if (f.values !== undefined && f.type !== 'text') problems.push('values apply only to text fields')
  if (f.pattern !== undefined && f.type !== 'text') problems.push('pattern applies only to text fields')
  if (f.scale !== undefined && f.type !== 'decimal') problems.push('scale applies only to decimal fields')
  return problems
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
