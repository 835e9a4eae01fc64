/**
 * A partner cannot queue type checks ahead of everyone else's: while one of its uploads is being
 * checked, its next is refused at once (ERR_RATE_LIMITED, nothing of it written) — another
 * partner's upload is not held up by it, and once the first check finishes the partner uploads
 * again (controls). The type check is held open by the test (a check the test releases), so the
 * race is decided, not timed; the rest is the server's real upload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { openAuditTrail } from '../../../runtime/audit/index.ts'
import { loadConfig, type RuntimeConfig } from '../../../runtime/config.ts'
import { openKeyStore } from '../../../runtime/release/key-store.ts'
import { createSandboxPool, type SandboxPool } from '../../../runtime/sandbox/sandbox-pool.ts'
import type { TypeCheckThread } from '../../../runtime/sandbox/type-check-thread.ts'
import { createProductDevelopment, type ProductDevelopment } from '../../../runtime/server/product-development.ts'
import { openState, type State } from '../../../runtime/state/state.ts'

const SOURCE = readFileSync('products/enterprise-credit-score/product.ts', 'utf8')
const filesOf = (id: string) => ({ 'product.ts': SOURCE.replace("id: 'enterprise-credit-score'", `id: '${id}'`) })
let dir: string
let config: RuntimeConfig
let state: State
let pool: SandboxPool
let development: ProductDevelopment
/** Checks wait until the test lets them finish, one release per check. */
const waiting: (() => void)[] = []
const held: TypeCheckThread = {
  check: () => new Promise<void>((resolve) => waiting.push(resolve)),
  close: async () => undefined,
}
const checking = async (n: number) => {
  while (waiting.length < n) await new Promise((resolve) => setTimeout(resolve, 10))
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-one-upload-'))
  config = loadConfig({ INDOMAIN_DATA_DIR: dir, INDOMAIN_KEY_PASSPHRASE: 'one upload test passphrase' })
  state = await openState(join(dir, 'state.sqlite'))
  pool = createSandboxPool({ workers: 1 })
  const keys = openKeyStore(join(dir, 'keys.json'), 'one upload test passphrase', 'production')
  development = createProductDevelopment({ config, catalog: loadCatalog(), state, pool, trail: openAuditTrail(state.database, { key: keys.active() }), types: held })
})

afterAll(async () => {
  await pool.close()
  await state.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('one upload of a partner at a time', () => {
  it('a second upload while the first is checked is refused at once, and leaves nothing; another partner goes on; after it, the partner uploads again', async () => {
    const first = development.upload('acme-data', 'credit-one', '1.0.0', filesOf('credit-one'))
    await checking(1)
    // the same partner, another product: refused before anything is written
    await expect(development.upload('acme-data', 'credit-two', '1.0.0', filesOf('credit-two'))).rejects.toMatchObject({ code: 'ERR_RATE_LIMITED' })
    expect(existsSync(join(config.uploadsDir, 'acme-data', 'credit-two'))).toBe(false)
    // another partner is not held up by it (control)
    const other = development.upload('other-lab', 'credit-three', '1.0.0', filesOf('credit-three'))
    await checking(2)
    waiting[1]!()
    await expect(other).resolves.toMatchObject({ product: 'credit-three', status: 'uploaded' })
    waiting[0]!()
    await expect(first).resolves.toMatchObject({ product: 'credit-one', status: 'uploaded' })
    // the first check done, the partner's next upload is taken (control)
    const again = development.upload('acme-data', 'credit-two', '1.0.0', filesOf('credit-two'))
    await checking(3)
    waiting[2]!()
    await expect(again).resolves.toMatchObject({ product: 'credit-two', status: 'uploaded' })
  }, 120_000)
})
