/**
 * Who may call what: consumers (API keys, stored as SHA-256 digests — the keys are 256-bit random,
 * so a fast hash is enough and the key itself is shown once) and published product versions
 * (code hash, partner, scenario, category, price per call in 分). Kept in the embedded store
 * behind this one module.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { RuntimeError } from '../errors.ts'
import type { DuckDBConnection } from '@duckdb/node-api'

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS price_caps (product VARCHAR PRIMARY KEY, cap_fen INTEGER NOT NULL, set_by VARCHAR NOT NULL, set_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS consumers (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, key_hash VARCHAR NOT NULL UNIQUE, status VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, monthly_quota INTEGER)`,
  `CREATE TABLE IF NOT EXISTS products (
     id VARCHAR NOT NULL, version VARCHAR NOT NULL, title VARCHAR NOT NULL, category VARCHAR NOT NULL, dir VARCHAR NOT NULL,
     code_hash VARCHAR NOT NULL, partner VARCHAR NOT NULL, scenario VARCHAR NOT NULL, price_fen INTEGER NOT NULL,
     sources VARCHAR NOT NULL, status VARCHAR NOT NULL, published_at TIMESTAMP NOT NULL, PRIMARY KEY (id, version))`,
]

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
  readonly status: 'published' | 'suspended' | 'held'
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
  publish(product: Omit<PublishedProduct, 'status'>): Promise<PublishedProduct>
  /** The operator's price cap for a product (分 per call); a published price may never exceed it. */
  setPriceCap(product: string, capFen: number, operator: string): Promise<void>
  priceCap(product: string): Promise<number | undefined>
  /** Every price cap, by product. */
  priceCaps(): Promise<PriceCap[]>
  /** The newest published version of a product. */
  published(id: string): Promise<PublishedProduct | undefined>
  list(): Promise<PublishedProduct[]>
  /** Every version ever published, suspended ones included (operators, statements). */
  versions(filter?: { partner?: string }): Promise<PublishedProduct[]>
  /** Suspends (or restores) every published product of a partner (the exit process); held products stay held. */
  setPartnerProductsStatus(partner: string, status: 'published' | 'suspended'): Promise<void>
  /** Holds every published version of a product (repeated failures); returns whether any was published. */
  holdProduct(id: string): Promise<boolean>
  /** Ends a hold (an operator's reinstatement); returns whether the product was held. */
  releaseHold(id: string): Promise<boolean>
}

const consumerOf = (r: unknown[]): Consumer => ({
  id: String(r[0]),
  name: String(r[1]),
  status: r[2] as Consumer['status'],
  monthlyQuota: r[3] === null ? null : Number(r[3]),
})
const digest = (key: string) => createHash('sha256').update(key).digest('hex')
const ID = /^[a-z0-9][a-z0-9-]{1,62}$/

/** The registry tables on their own connection to the state database (see runtime/state). */
export async function createRegistry(c: DuckDBConnection): Promise<Registry> {
  for (const sql of SCHEMA) await c.run(sql)
  const row = (r: unknown[]): PublishedProduct => ({
    id: String(r[0]),
    version: String(r[1]),
    title: String(r[2]),
    category: String(r[3]),
    dir: String(r[4]),
    codeHash: String(r[5]),
    partner: String(r[6]),
    scenario: String(r[7]),
    priceFen: Number(r[8]),
    sources: JSON.parse(String(r[9])) as string[],
    status: r[10] as PublishedProduct['status'],
  })
  const capOf = async (product: string): Promise<number | undefined> => {
    const r = (await c.runAndReadAll(`SELECT cap_fen FROM price_caps WHERE product = $1`, [product])).getRowsJS()[0]
    return r === undefined ? undefined : Number(r[0])
  }
  const columns = 'id, version, title, category, dir, code_hash, partner, scenario, price_fen, sources, status'
  // this process alone holds the registry file; caches are cleared by every change made here
  const consumersByDigest = new Map<string, Consumer>()
  const publishedById = new Map<string, PublishedProduct | undefined>()
  return {
    async addConsumer(id, name, monthlyQuota = null) {
      if (!ID.test(id)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A consumer id is lower case letters, digits and dashes')
      if (monthlyQuota !== null && (!Number.isInteger(monthlyQuota) || monthlyQuota < 1)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A quota is a whole number of calls, at least 1')
      const apiKey = `idk_${randomBytes(32).toString('base64url')}`
      try {
        await c.run(`INSERT INTO consumers VALUES ($1, $2, $3, 'active', now()::TIMESTAMP, $4)`, [id, name, digest(apiKey), monthlyQuota])
      } catch (cause) {
        throw new RuntimeError('ERR_CONFLICT', 'The consumer exists already', { cause, details: { consumer: id } })
      }
      return { consumer: { id, name, status: 'active', monthlyQuota }, apiKey }
    },
    async consumers() {
      return (await c.runAndReadAll(`SELECT id, name, status, monthly_quota FROM consumers ORDER BY id`)).getRowsJS().map(consumerOf)
    },
    async setConsumerStatus(id, status) {
      const found = (await c.runAndReadAll(`UPDATE consumers SET status = $2 WHERE id = $1 RETURNING id, name, status, monthly_quota`, [id, status])).getRowsJS()[0]
      if (found === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such consumer', { details: { consumer: id } })
      // a suspension takes effect on the next call
      consumersByDigest.clear()
      return consumerOf(found)
    },
    async authenticate(apiKey) {
      if (typeof apiKey !== 'string' || !apiKey.startsWith('idk_') || apiKey.length > 100) return undefined
      const wanted = digest(apiKey)
      const cached = consumersByDigest.get(wanted)
      if (cached !== undefined) return cached
      const found = (await c.runAndReadAll(`SELECT id, name, status, monthly_quota, key_hash FROM consumers WHERE key_hash = $1`, [wanted])).getRowsJS()[0]
      if (found === undefined) return undefined
      // the lookup is by digest; compare again in constant time all the same
      if (!timingSafeEqual(Buffer.from(String(found[4])), Buffer.from(wanted))) return undefined
      const consumer = consumerOf(found)
      consumersByDigest.set(wanted, consumer)
      return consumer
    },
    async setPriceCap(product, capFen, operator) {
      if (!Number.isInteger(capFen) || capFen < 0) throw new RuntimeError('ERR_PARAMS_INVALID', 'A price cap is a whole number of 分, at least 0')
      await c.run(`INSERT OR REPLACE INTO price_caps VALUES ($1, $2, $3, now()::TIMESTAMP)`, [product, capFen, operator])
      // prices above a new cap come down to it
      await c.run(`UPDATE products SET price_fen = least(price_fen, $2) WHERE id = $1`, [product, capFen])
      publishedById.clear()
    },
    priceCap: capOf,
    async priceCaps() {
      return (await c.runAndReadAll(`SELECT product, cap_fen, set_by, CAST(set_at AS VARCHAR) FROM price_caps ORDER BY product`))
        .getRowsJS()
        .map(([product, capFen, setBy, setAt]) => ({ product: String(product), capFen: Number(capFen), setBy: String(setBy), setAt: String(setAt) }))
    },
    async publish(p) {
      if (!Number.isInteger(p.priceFen) || p.priceFen < 0) throw new RuntimeError('ERR_PARAMS_INVALID', 'A price is a whole number of 分, at least 0')
      const cap = await capOf(p.id)
      if (cap !== undefined && p.priceFen > cap) {
        throw new RuntimeError('ERR_PARAMS_INVALID', 'The price is above the operator\'s price cap', { details: { capFen: cap } })
      }
      await c.run(`INSERT OR REPLACE INTO products VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'published', now()::TIMESTAMP)`, [
        p.id,
        p.version,
        p.title,
        p.category,
        p.dir,
        p.codeHash,
        p.partner,
        p.scenario,
        p.priceFen,
        JSON.stringify(p.sources),
      ])
      publishedById.clear()
      return { ...p, status: 'published' }
    },
    async published(id) {
      if (publishedById.has(id)) return publishedById.get(id)
      const r = (await c.runAndReadAll(`SELECT ${columns} FROM products WHERE id = $1 AND status = 'published' ORDER BY published_at DESC LIMIT 1`, [id])).getRowsJS()[0]
      const found = r === undefined ? undefined : row(r)
      publishedById.set(id, found)
      return found
    },
    async list() {
      return (await c.runAndReadAll(`SELECT ${columns} FROM products WHERE status = 'published' ORDER BY id, published_at DESC`)).getRowsJS().map(row)
    },
    async versions(filter = {}) {
      return (await c.runAndReadAll(`SELECT ${columns} FROM products WHERE ($1::VARCHAR IS NULL OR partner = $1) ORDER BY id, published_at DESC`, [filter.partner ?? null]))
        .getRowsJS()
        .map(row)
    },
    async setPartnerProductsStatus(partner, status) {
      await c.run(`UPDATE products SET status = $2 WHERE partner = $1 AND status <> 'held'`, [partner, status])
      publishedById.clear()
    },
    async holdProduct(id) {
      const held = (await c.runAndReadAll(`UPDATE products SET status = 'held' WHERE id = $1 AND status = 'published' RETURNING id`, [id])).getRowsJS()
      publishedById.clear()
      return held.length > 0
    },
    async releaseHold(id) {
      const released = (await c.runAndReadAll(`UPDATE products SET status = 'published' WHERE id = $1 AND status = 'held' RETURNING id`, [id])).getRowsJS()
      publishedById.clear()
      return released.length > 0
    },
  }
}
