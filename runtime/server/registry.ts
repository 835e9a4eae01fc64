/**
 * Who may call what: consumers (API keys, stored as SHA-256 digests — the keys are 256-bit random,
 * so a fast hash is enough and the key itself is shown once) and published product versions
 * (code hash, partner, scenario, category, price per call in 分). Kept in the state database
 * behind this one module. An API key's consumer is read on every request, so a suspension holds
 * on every replica from the next request. A product's newest published version is reused for at
 * most a second (state/recent-reads.ts; dropped at once by any change made through this
 * process): what decides a release — the consumer still active, the version still the newest
 * published — is read again by `standing` in the transaction that records it
 * (pipeline/release-commit.ts), so a hold or a new version made on any replica holds for every
 * release committed after it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { sql, type ExpressionBuilder, type Selectable } from 'kysely'
import { RuntimeError } from '../errors.ts'
import type { StateDatabase } from '../state/state-database.ts'
import type { ConsumersTable, ProductsTable, StateSchema } from '../state/state-schema.ts'
import { checkConsumer, checkPrice, checkPriceCap } from './registry-rules.ts'
import { recentReads } from '../state/recent-reads.ts'
import { cityDay } from '../city-calendar.ts'

export type Consumer = {
  readonly id: string
  readonly name: string
  readonly status: 'active' | 'suspended'
  /** Released calls allowed per calendar month, all products together (null: no quota). */
  readonly monthlyQuota: number | null
}

export type PublishedProduct = {
  readonly id: string
  readonly version: string
  readonly title: string
  readonly category: string
  readonly dir: string
  readonly codeHash: string
  readonly partner: string
  readonly scenario: string
  /** Price per call in 分 (0 for public-interest products). */
  readonly priceFen: number
  /** Source departments of the tables the product uses (产品清单公示). */
  readonly sources: readonly string[]
  /** `held`: suspended automatically after repeated failures, until an operator reinstates it. */
  /** `retired`: a newer version of the product was published since (it is off the public list). */
  readonly status: 'published' | 'suspended' | 'held' | 'retired'
  /** A retired version stays callable, by consumers that name it, through this day (Beijing's); null: not at all. */
  readonly callableUntil: string | null
}

/** An operator's price cap on a product: who set it, when. */
export type PriceCap = {
  readonly product: string
  readonly capFen: number
  readonly setBy: string
  readonly setAt: string
}

export type Registry = {
  /** Registers a consumer; returns its API key, which is not stored and cannot be shown again. */
  addConsumer(id: string, name: string, monthlyQuota?: number | null): Promise<{ consumer: Consumer; apiKey: string }>
  consumers(): Promise<Consumer[]>
  setConsumerStatus(id: string, status: Consumer['status']): Promise<Consumer>
  /** The consumer an API key belongs to, or undefined. Constant-time comparison of digests. */
  authenticate(apiKey: string): Promise<Consumer | undefined>
  publish(product: Omit<PublishedProduct, 'status' | 'callableUntil'>): Promise<PublishedProduct>
  /** The operator's price cap for a product (分 per call); a published price may never exceed it. */
  setPriceCap(product: string, capFen: number, operator: string): Promise<void>
  priceCap(product: string): Promise<number | undefined>
  /** Every price cap, by product. */
  priceCaps(): Promise<PriceCap[]>
  /** The newest published version of a product. */
  published(id: string): Promise<PublishedProduct | undefined>
  /** A version a consumer named: the published one, or a retired one callable today; else undefined. */
  callable(id: string, version: string): Promise<PublishedProduct | undefined>
  /** Keeps a retired version callable through `until` (Beijing's day), or no longer (null); the version as it is now. */
  setCallableUntil(id: string, version: string, until: string | null): Promise<PublishedProduct>
  list(): Promise<PublishedProduct[]>
  /** Every version ever published, suspended ones included (operators, statements). */
  versions(filter?: { partner?: string }): Promise<PublishedProduct[]>
  /** Suspends (or restores) every published product of a partner (the exit process); held and retired versions stay as they are. */
  setPartnerProductsStatus(partner: string, status: 'published' | 'suspended'): Promise<void>
  /** Holds every published version of a product (repeated failures); returns whether any was published. */
  holdProduct(id: string): Promise<boolean>
  /** Ends a hold (an operator's reinstatement); returns whether the product was held. */
  releaseHold(id: string): Promise<boolean>
  /**
   * What decides whether calls may still be released, read now (inside the caller's transaction, if
   * any): which of `consumers` are active, the newest published version of each of `products`, the
   * retired versions still callable today (`product@version`), and the revision of each of
   * `scenarios` (absent: no such scenario).
   */
  standing(
    consumers: readonly string[],
    products: readonly string[],
    scenarios?: readonly string[],
  ): Promise<{ readonly active: ReadonlySet<string>; readonly newest: ReadonlyMap<string, string>; readonly retiredCallable: ReadonlySet<string>; readonly revisions: ReadonlyMap<string, number> }>
  /** Drops the recent reads: the next read of each is fresh. */
  forget(): void
}

const consumerOf = (r: Pick<Selectable<ConsumersTable>, 'id' | 'name' | 'status' | 'monthly_quota'>): Consumer => ({
  id: r.id,
  name: r.name,
  status: r.status as Consumer['status'],
  monthlyQuota: r.monthly_quota === null ? null : Number(r.monthly_quota),
})
const productOf = (r: Selectable<ProductsTable>): PublishedProduct => ({
  id: r.id,
  version: r.version,
  title: r.title,
  category: r.category,
  dir: r.dir,
  codeHash: r.code_hash,
  partner: r.partner,
  scenario: r.scenario,
  priceFen: Number(r.price_fen),
  sources: JSON.parse(r.sources) as string[],
  status: r.status as PublishedProduct['status'],
  callableUntil: r.callable_until ?? null,
})
const digest = (key: string) => createHash('sha256').update(key).digest('hex')

/**
 * A version callable by name: the published one, or a retired one kept callable through today
 * while the product itself serves (a version of it is published: not held, its partner not
 * suspended) — a suspension or a hold stops the kept version too.
 */
function servingOrKeptCallable() {
  return ({ eb, or, and, exists, selectFrom }: ExpressionBuilder<StateSchema, 'products'>) =>
    or([
      eb('products.status', '=', 'published'),
      and([
        eb('products.status', '=', 'retired'),
        eb('products.callable_until', '>=', cityDay()),
        exists(selectFrom('products as live').select('live.id').whereRef('live.id', '=', 'products.id').where('live.status', '=', 'published')),
      ]),
    ])
}

export function createRegistry(state: StateDatabase): Registry {
  const newest = recentReads<PublishedProduct | undefined>()
  /** A change to products made through this process is seen by its next call. */
  const changed = <T>(work: Promise<T>): Promise<T> =>
    work.finally(() => newest.clear())
  const newestPublished = async (id: string): Promise<PublishedProduct | undefined> => {
    const r = await state.db.selectFrom('products').selectAll().where('id', '=', id).where('status', '=', 'published').orderBy('published_at', 'desc').limit(1).executeTakeFirst()
    return r === undefined ? undefined : productOf(r)
  }
  const capOf = async (product: string): Promise<number | undefined> => {
    const r = await state.db.selectFrom('price_caps').select('cap_fen').where('product', '=', product).executeTakeFirst()
    return r === undefined ? undefined : Number(r.cap_fen)
  }
  return {
    async addConsumer(id, name, monthlyQuota = null) {
      checkConsumer(id, monthlyQuota)
      const apiKey = `idk_${randomBytes(32).toString('base64url')}`
      const added = await state.db
        .insertInto('consumers')
        .values({ id, name, key_hash: digest(apiKey), status: 'active', monthly_quota: monthlyQuota, created_at: Date.now() })
        .onConflict((c) => c.column('id').doNothing())
        .executeTakeFirst()
      if (Number(added.numInsertedOrUpdatedRows ?? 0) === 0) throw new RuntimeError('ERR_CONFLICT', 'The consumer exists already', { details: { consumer: id } })
      return { consumer: { id, name, status: 'active', monthlyQuota }, apiKey }
    },
    async consumers() {
      return (await state.db.selectFrom('consumers').select(['id', 'name', 'status', 'monthly_quota']).orderBy('id').execute()).map(consumerOf)
    },
    async setConsumerStatus(id, status) {
      const found = await state.db.updateTable('consumers').set({ status }).where('id', '=', id).returning(['id', 'name', 'status', 'monthly_quota']).executeTakeFirst()
      if (found === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such consumer', { details: { consumer: id } })
      return consumerOf(found)
    },
    async authenticate(apiKey) {
      if (typeof apiKey !== 'string' || !apiKey.startsWith('idk_') || apiKey.length > 100) return undefined
      const wanted = digest(apiKey)
      // read on every request: a suspension holds for every request after it, on every replica
      const found = await state.db.selectFrom('consumers').select(['id', 'name', 'status', 'monthly_quota', 'key_hash']).where('key_hash', '=', wanted).executeTakeFirst()
      if (found === undefined) return undefined
      // the lookup is by digest; compare again in constant time all the same
      if (!timingSafeEqual(Buffer.from(found.key_hash), Buffer.from(wanted))) return undefined
      return consumerOf(found)
    },
    setPriceCap(product, capFen, operator) {
      return changed((async () => {
        checkPriceCap(capFen)
        await state.transaction(async (tx) => {
          await state.lock(tx, `price:${product}`)
          const cap = { product, cap_fen: capFen, set_by: operator, set_at: Date.now() }
          await tx.insertInto('price_caps').values(cap).onConflict((c) => c.column('product').doUpdateSet(cap)).execute()
          // prices above a new cap come down to it
          await tx.updateTable('products').set({ price_fen: capFen }).where('id', '=', product).where('price_fen', '>', capFen).execute()
        })
      })())
    },
    priceCap: capOf,
    async priceCaps() {
      const rows = await state.db.selectFrom('price_caps').selectAll().orderBy('product').execute()
      return rows.map((r) => ({ product: r.product, capFen: Number(r.cap_fen), setBy: r.set_by, setAt: new Date(Number(r.set_at)).toISOString() }))
    },
    publish(p) {
      return changed((async () => {
        return state.transaction(async (tx) => {
          // a cap set on another replica meanwhile is seen: the cap and the price are checked together
          await state.lock(tx, `price:${p.id}`)
          const cap = await tx.selectFrom('price_caps').select('cap_fen').where('product', '=', p.id).executeTakeFirst()
          checkPrice(p.priceFen, cap === undefined ? undefined : Number(cap.cap_fen))
          const row = {
            id: p.id,
            version: p.version,
            title: p.title,
            category: p.category,
            dir: p.dir,
            code_hash: p.codeHash,
            partner: p.partner,
            scenario: p.scenario,
            price_fen: p.priceFen,
            sources: JSON.stringify(p.sources),
            status: 'published',
            published_at: Date.now(),
            callable_until: null,
          }
          await tx.insertInto('products').values(row).onConflict((c) => c.columns(['id', 'version']).doUpdateSet(row)).execute()
          // one version of a product is on the public list: the one published last
          // (a held one too: reinstating the product must not bring an older version back beside this one)
          await tx.updateTable('products').set({ status: 'retired' }).where('id', '=', p.id).where('version', '<>', p.version).where('status', 'in', ['published', 'held']).execute()
          return { ...p, status: 'published' as const, callableUntil: null }
        })
      })())
    },
    published: (id) => newest.get(id, () => newestPublished(id)),
    async callable(id, version) {
      const r = await state.db.selectFrom('products').selectAll().where('id', '=', id).where('version', '=', version).where(servingOrKeptCallable()).executeTakeFirst()
      return r === undefined ? undefined : productOf(r)
    },
    setCallableUntil(id, version, until) {
      return changed(
        state.transaction(async (tx) => {
          const r = await tx.updateTable('products').set({ callable_until: until }).where('id', '=', id).where('version', '=', version).where('status', '=', 'retired').returningAll().executeTakeFirst()
          if (r === undefined) throw new RuntimeError('ERR_CONFLICT', 'Only a retired version is kept callable: this one is not retired', { details: { product: id, version, problems: [{ path: 'path:/version', problem: 'is not a retired version of the product' }] } })
          return productOf(r)
        }),
      )
    },
    async list() {
      return (await state.db.selectFrom('products').selectAll().where('status', '=', 'published').orderBy('id').orderBy('published_at', 'desc').execute()).map(productOf)
    },
    async versions(filter = {}) {
      let query = state.db.selectFrom('products').selectAll()
      if (filter.partner !== undefined) query = query.where('partner', '=', filter.partner)
      return (await query.orderBy('id').orderBy('published_at', 'desc').execute()).map(productOf)
    },
    setPartnerProductsStatus(partner, status) {
      return changed((async () => {
        await state.db.updateTable('products').set({ status }).where('partner', '=', partner).where('status', 'in', status === 'suspended' ? ['published'] : ['suspended']).execute()
      })())
    },
    holdProduct(id) {
      return changed((async () => {
        const held = await state.db.updateTable('products').set({ status: 'held' }).where('id', '=', id).where('status', '=', 'published').returning('id').execute()
        return held.length > 0
      })())
    },
    releaseHold(id) {
      return changed((async () => {
        const released = await state.db.updateTable('products').set({ status: 'published' }).where('id', '=', id).where('status', '=', 'held').returning('id').execute()
        return released.length > 0
      })())
    },
    forget() {
      newest.clear()
    },
    async standing(consumers, products, scenarios = []) {
      // active consumers, published versions and scenario revisions, in one statement (a commit
      // group reads this once; '' keeps each list non-empty, and no id is empty)
      const activeOnes = state.db.selectFrom('consumers').select([sql<string>`'consumer'`.as('kind'), 'id', sql<string>`''`.as('version'), sql<number>`0`.as('published_at')]).where('id', 'in', [...consumers, '']).where('status', '=', 'active')
      const publishedOnes = state.db.selectFrom('products').select([sql<string>`'product'`.as('kind'), 'id', 'version', 'published_at']).where('id', 'in', [...products, '']).where('status', '=', 'published')
      const retiredOnes = state.db.selectFrom('products').select([sql<string>`'retired'`.as('kind'), 'id', 'version', 'published_at']).where('id', 'in', [...products, '']).where('status', '=', 'retired').where(servingOrKeptCallable())
      const scenarioRevisions = state.db.selectFrom('scenarios').select([sql<string>`'scenario'`.as('kind'), 'id', sql<string>`''`.as('version'), 'revision as published_at']).where('id', 'in', [...scenarios, ''])
      // as a batch, so that a transaction's begin travels with it
      const [rows] = (await state.batch(state.db, [activeOnes.unionAll(publishedOnes).unionAll(retiredOnes).unionAll(scenarioRevisions).compile()])) as { kind: string; id: string; version: string; published_at: number | string }[][]
      const active = new Set<string>()
      const retiredCallable = new Set<string>()
      const revisions = new Map<string, number>()
      const newestOf = new Map<string, { version: string; at: number }>()
      for (const r of rows!) {
        if (r.kind === 'consumer') {
          active.add(r.id)
          continue
        }
        if (r.kind === 'scenario') {
          revisions.set(r.id, Number(r.published_at))
          continue
        }
        if (r.kind === 'retired') {
          retiredCallable.add(`${r.id}@${r.version}`)
          continue
        }
        const at = Number(r.published_at)
        const seen = newestOf.get(r.id)
        if (seen === undefined || at > seen.at) newestOf.set(r.id, { version: r.version, at })
      }
      return { active, newest: new Map([...newestOf].map(([id, v]) => [id, v.version])), retiredCallable, revisions }
    },
  }
}
