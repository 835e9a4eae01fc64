/**
 * Product versions and their reviews (产品审查). A partner uploads a version (its sources are
 * bundled on the server and the code hash taken there), dev-runs it on sample data, and submits
 * it under an approved scenario; an operator approves or rejects it. Only an approved version can
 * be published, pinned to the code hash that was reviewed; a new version needs a new review.
 * A product id belongs to the partner who first uploaded it.
 */
import type { DuckDBConnection } from '@duckdb/node-api'
import { RuntimeError } from '../errors.ts'
import { createExclusive } from '../store/exclusive.ts'

export type VersionStatus = 'uploaded' | 'submitted' | 'approved' | 'rejected'

export type ProductVersion = {
  readonly product: string
  readonly version: string
  readonly partner: string
  readonly status: VersionStatus
  readonly codeHash: string
  readonly title: string
  readonly kind: string
  readonly category: string
  /** Where the uploaded sources are kept (server side). */
  readonly dir: string
  readonly scenario: string | null
  /** The last dev run on sample data: output and automatic release checks (what reviewers see). */
  readonly devRun: Record<string, unknown> | null
  readonly reviewer: string | null
  readonly reason: string | null
  readonly uploadedAt: string
  readonly decidedAt: string | null
}

/** A version or published product as callers see it: where its sources are kept is the server's business. */
export function withoutSources<T extends { readonly dir: string }>(record: T): Omit<T, 'dir'> {
  const { dir: _, ...shown } = record
  return shown
}

export type UploadedVersion = Pick<ProductVersion, 'product' | 'version' | 'partner' | 'codeHash' | 'title' | 'kind' | 'category' | 'dir'>

export type ProductVersions = {
  /** Records an upload; an uploaded (not yet submitted) version may be replaced. */
  upload(version: UploadedVersion): Promise<ProductVersion>
  get(product: string, version: string): Promise<ProductVersion>
  /** The partner a product id belongs to (whoever first uploaded it), if any. */
  owner(product: string): Promise<string | undefined>
  /** The versions of a partner's products, or of every product (operators). */
  list(filter?: { partner?: string; status?: VersionStatus }): Promise<ProductVersion[]>
  recordDevRun(product: string, version: string, devRun: Record<string, unknown>): Promise<void>
  submit(product: string, version: string, partner: string, scenario: string): Promise<ProductVersion>
  decide(product: string, version: string, operator: string, decision: 'approve' | 'reject', reason?: string): Promise<ProductVersion>
  /** The exit process: a revoked partner's dev runs are deleted (its versions and reviews are kept). */
  deleteDevData(partner: string): Promise<void>
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS product_versions (
  product VARCHAR NOT NULL, version VARCHAR NOT NULL, partner VARCHAR NOT NULL, status VARCHAR NOT NULL, code_hash VARCHAR NOT NULL,
  title VARCHAR NOT NULL, kind VARCHAR NOT NULL, category VARCHAR NOT NULL, dir VARCHAR NOT NULL, scenario VARCHAR, dev_run VARCHAR,
  reviewer VARCHAR, reason VARCHAR, uploaded_at TIMESTAMP NOT NULL, decided_at TIMESTAMP, PRIMARY KEY (product, version))`
const COLUMNS = `product, version, partner, status, code_hash, title, kind, category, dir, scenario, dev_run, reviewer, reason, CAST(uploaded_at AS VARCHAR), CAST(decided_at AS VARCHAR)`

const text = (v: unknown) => (v === null ? null : String(v))
const versionOf = (r: unknown[]): ProductVersion => ({
  product: String(r[0]),
  version: String(r[1]),
  partner: String(r[2]),
  status: r[3] as VersionStatus,
  codeHash: String(r[4]),
  title: String(r[5]),
  kind: String(r[6]),
  category: String(r[7]),
  dir: String(r[8]),
  scenario: text(r[9]),
  devRun: r[10] === null ? null : (JSON.parse(String(r[10])) as Record<string, unknown>),
  reviewer: text(r[11]),
  reason: text(r[12]),
  uploadedAt: String(r[13]),
  decidedAt: text(r[14]),
})

export async function createProductVersions(c: DuckDBConnection): Promise<ProductVersions> {
  await c.run(SCHEMA)
  // check-then-write steps must not interleave between concurrent requests
  const exclusive = createExclusive()
  const find = async (product: string, version: string): Promise<ProductVersion | undefined> => {
    const row = (await c.runAndReadAll(`SELECT ${COLUMNS} FROM product_versions WHERE product = $1 AND version = $2`, [product, version])).getRowsJS()[0]
    return row === undefined ? undefined : versionOf(row)
  }
  const get = async (product: string, version: string): Promise<ProductVersion> => {
    const found = await find(product, version)
    if (found === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such product version', { details: { product, version } })
    return found
  }

  const owner = async (product: string): Promise<string | undefined> => {
    const row = (await c.runAndReadAll(`SELECT partner FROM product_versions WHERE product = $1 ORDER BY uploaded_at LIMIT 1`, [product])).getRowsJS()[0]
    return row === undefined ? undefined : String(row[0])
  }

  return {
    owner,
    upload: (v) =>
      exclusive(async () => {
        const owns = await owner(v.product)
        if (owns !== undefined && owns !== v.partner) {
          throw new RuntimeError('ERR_CONFLICT', 'The product id belongs to another partner', { details: { product: v.product } })
        }
        const existing = await find(v.product, v.version)
        if (existing !== undefined && existing.status !== 'uploaded') {
          throw new RuntimeError('ERR_CONFLICT', 'This version was submitted already: upload a new version', { details: { product: v.product, version: v.version, status: existing.status } })
        }
        await c.run(`INSERT OR REPLACE INTO product_versions VALUES ($1, $2, $3, 'uploaded', $4, $5, $6, $7, $8, NULL, NULL, NULL, NULL, now()::TIMESTAMP, NULL)`, [
          v.product,
          v.version,
          v.partner,
          v.codeHash,
          v.title,
          v.kind,
          v.category,
          v.dir,
        ])
        return get(v.product, v.version)
      }),
    get,
    async list(filter = {}) {
      const rows = (
        await c.runAndReadAll(
          `SELECT ${COLUMNS} FROM product_versions WHERE ($1::VARCHAR IS NULL OR partner = $1) AND ($2::VARCHAR IS NULL OR status = $2) ORDER BY product, uploaded_at`,
          [filter.partner ?? null, filter.status ?? null],
        )
      ).getRowsJS()
      return rows.map(versionOf)
    },
    recordDevRun: (product, version, devRun) =>
      exclusive(async () => {
        await c.run(`UPDATE product_versions SET dev_run = $3 WHERE product = $1 AND version = $2`, [product, version, JSON.stringify(devRun)])
      }),
    submit: (product, version, partner, scenario) =>
      exclusive(async () => {
        const v = await get(product, version)
        if (v.partner !== partner) throw new RuntimeError('ERR_NOT_FOUND', 'No such product version', { details: { product, version } })
        if (v.status !== 'uploaded') throw new RuntimeError('ERR_CONFLICT', 'The version is not waiting to be submitted', { details: { product, version, status: v.status } })
        if (v.devRun === null) throw new RuntimeError('ERR_CONFLICT', 'Dev-run the version on sample data before submitting it', { details: { product, version } })
        await c.run(`UPDATE product_versions SET status = 'submitted', scenario = $3 WHERE product = $1 AND version = $2`, [product, version, scenario])
        return get(product, version)
      }),
    decide: (product, version, operator, decision, reason) =>
      exclusive(async () => {
        const v = await get(product, version)
        if (v.status !== 'submitted') throw new RuntimeError('ERR_CONFLICT', 'The version is not waiting for review', { details: { product, version, status: v.status } })
        if (operator === v.partner) throw new RuntimeError('ERR_FORBIDDEN', 'A partner may not review its own product')
        if (decision === 'reject' && (reason === undefined || reason.trim() === '')) throw new RuntimeError('ERR_PARAMS_INVALID', 'A rejection needs a reason')
        await c.run(`UPDATE product_versions SET status = $3, reviewer = $4, reason = $5, decided_at = now()::TIMESTAMP WHERE product = $1 AND version = $2`, [
          product,
          version,
          decision === 'approve' ? 'approved' : 'rejected',
          operator,
          reason ?? null,
        ])
        return get(product, version)
      }),
    deleteDevData: (partner) =>
      exclusive(async () => {
        await c.run(`UPDATE product_versions SET dev_run = NULL WHERE partner = $1`, [partner])
      }),
  }
}
