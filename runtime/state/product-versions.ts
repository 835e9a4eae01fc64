/**
 * Product versions and their reviews (产品审查). A partner uploads a version (its sources are
 * bundled on the server and the code hash taken there), dev-runs it on sample data, and submits
 * it under an approved scenario; an operator approves or rejects it. Only an approved version can
 * be published, pinned to the code hash that was reviewed; a new version needs a new review.
 * A product id belongs to the partner who first uploaded it.
 */
import type { Selectable } from 'kysely'
import { RuntimeError } from '../errors.ts'
import type { StateDatabase, StateTransaction } from './state-database.ts'
import type { ProductVersionsTable } from './state-schema.ts'
import { checkSubmit, checkUpload, checkVersionDecision } from './version-review-rules.ts'

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

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())
const versionOf = (r: Selectable<ProductVersionsTable>): ProductVersion => ({
  product: r.product,
  version: r.version,
  partner: r.partner,
  status: r.status as VersionStatus,
  codeHash: r.code_hash,
  title: r.title,
  kind: r.kind,
  category: r.category,
  dir: r.dir,
  scenario: r.scenario,
  devRun: r.dev_run === null ? null : (JSON.parse(r.dev_run) as Record<string, unknown>),
  reviewer: r.reviewer,
  reason: r.reason,
  uploadedAt: new Date(Number(r.uploaded_at)).toISOString(),
  decidedAt: isoOrNull(r.decided_at),
})

export function createProductVersions(state: StateDatabase): ProductVersions {
  const find = async (q: StateTransaction | StateDatabase['db'], product: string, version: string): Promise<ProductVersion | undefined> => {
    const row = await q.selectFrom('product_versions').selectAll().where('product', '=', product).where('version', '=', version).executeTakeFirst()
    return row === undefined ? undefined : versionOf(row)
  }
  const getIn = async (q: StateTransaction | StateDatabase['db'], product: string, version: string): Promise<ProductVersion> => {
    const found = await find(q, product, version)
    if (found === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such product version', { details: { product, version } })
    return found
  }
  const ownerIn = async (q: StateTransaction | StateDatabase['db'], product: string): Promise<string | undefined> => {
    const row = await q.selectFrom('product_versions').select('partner').where('product', '=', product).orderBy('uploaded_at').limit(1).executeTakeFirst()
    return row?.partner
  }
  // check-then-write steps on one product run one at a time, on every replica
  const onProduct = <T>(product: string, work: (tx: StateTransaction) => Promise<T>): Promise<T> =>
    state.transaction(async (tx) => {
      await state.lock(tx, `product:${product}`)
      return work(tx)
    })

  return {
    owner: (product) => ownerIn(state.db, product),
    upload: (v) =>
      onProduct(v.product, async (tx) => {
        checkUpload(v, await ownerIn(tx, v.product), await find(tx, v.product, v.version))
        const row = {
          product: v.product,
          version: v.version,
          partner: v.partner,
          status: 'uploaded',
          code_hash: v.codeHash,
          title: v.title,
          kind: v.kind,
          category: v.category,
          dir: v.dir,
          scenario: null,
          dev_run: null,
          reviewer: null,
          reason: null,
          uploaded_at: Date.now(),
          decided_at: null,
        }
        await tx
          .insertInto('product_versions')
          .values(row)
          .onConflict((c) => c.columns(['product', 'version']).doUpdateSet(row))
          .execute()
        return getIn(tx, v.product, v.version)
      }),
    get: (product, version) => getIn(state.db, product, version),
    async list(filter = {}) {
      let query = state.db.selectFrom('product_versions').selectAll()
      if (filter.partner !== undefined) query = query.where('partner', '=', filter.partner)
      if (filter.status !== undefined) query = query.where('status', '=', filter.status)
      return (await query.orderBy('product').orderBy('uploaded_at').execute()).map(versionOf)
    },
    async recordDevRun(product, version, devRun) {
      await state.db.updateTable('product_versions').set({ dev_run: JSON.stringify(devRun) }).where('product', '=', product).where('version', '=', version).execute()
    },
    submit: (product, version, partner, scenario) =>
      onProduct(product, async (tx) => {
        checkSubmit(await getIn(tx, product, version), partner)
        await tx.updateTable('product_versions').set({ status: 'submitted', scenario }).where('product', '=', product).where('version', '=', version).execute()
        return getIn(tx, product, version)
      }),
    decide: (product, version, operator, decision, reason) =>
      onProduct(product, async (tx) => {
        checkVersionDecision(await getIn(tx, product, version), operator, decision, reason)
        await tx
          .updateTable('product_versions')
          .set({ status: decision === 'approve' ? 'approved' : 'rejected', reviewer: operator, reason: reason ?? null, decided_at: Date.now() })
          .where('product', '=', product)
          .where('version', '=', version)
          .execute()
        return getIn(tx, product, version)
      }),
    async deleteDevData(partner) {
      await state.db.updateTable('product_versions').set({ dev_run: null }).where('partner', '=', partner).execute()
    },
  }
}
