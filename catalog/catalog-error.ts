/**
 * The catalog's own error: `catalog/` may not import `runtime/`, so it carries the same stable
 * code (`ERR_CATALOG_INVALID`) that the runtime's catalogue lists, with every issue found.
 */
export type CatalogIssue = { readonly table: string; readonly field?: string; readonly message: string }

export class CatalogError extends Error {
  readonly code = 'ERR_CATALOG_INVALID'
  readonly issues: readonly CatalogIssue[]

  constructor(issues: readonly CatalogIssue[]) {
    super(`the catalog has ${issues.length} invalid definition(s):\n${issues.map(formatCatalogIssue).join('\n')}`)
    this.name = 'CatalogError'
    this.issues = Object.freeze([...issues])
  }
}

export function formatCatalogIssue(issue: CatalogIssue): string {
  return issue.field === undefined
    ? `  table ${issue.table}: ${issue.message}`
    : `  table ${issue.table}, field ${issue.field}: ${issue.message}`
}
