/**
 * For tests of the HTTP layer alone: a server over a real state, keys and audit trail in a
 * temporary folder, with the product services stubbed (what they return is not under test).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { openAuditTrail, type AuditTrail } from '../../runtime/audit/index.ts'
import { openKeyStore, type KeyStore } from '../../runtime/release/key-store.ts'
import { buildServer } from '../../runtime/server/build-server.ts'
import { createCallers } from '../../runtime/server/callers.ts'
import { platformTokenVerifier, issuePlatformToken } from '../../runtime/server/platform-tokens.ts'
import type { ProductDevelopment } from '../../runtime/server/product-development.ts'
import type { ProductService } from '../../runtime/server/product-service.ts'
import type { PlatformRole } from '../../runtime/state/principals.ts'
import { openState, type State } from '../../runtime/state/state.ts'

export type BareServer = {
  readonly app: FastifyInstance
  readonly state: State
  readonly keys: KeyStore
  readonly audit: AuditTrail
  token(role: PlatformRole, id: string, ttlSeconds?: number): string
  close(): Promise<void>
}

export async function createBareServer(options: { rateLimit?: { max: number; windowMs: number }; products?: ProductService } = {}): Promise<BareServer> {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bare-server-'))
  const state = await openState(join(dir, 'state.sqlite'))
  const keys = openKeyStore(join(dir, 'keys.json'), 'bare server passphrase', 'production')
  const audit = openAuditTrail(state.database, { key: keys.active() })
  const callers = createCallers({ registry: state.registry, principals: state.principals, verify: platformTokenVerifier(() => keys.jwks()), audit })
  const app = buildServer({
    state,
    catalog: loadCatalog(),
    products: options.products ?? { invoke: async () => ({ releaseId: 'rel-stub', release: 'stub', result: {}, auditSeq: 0 }), run: async () => ({ releaseId: 'rel-stub', status: 'pending', auditSeq: 0 }) },
    development: {} as ProductDevelopment,
    keys,
    audit,
    callers,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
  })
  return {
    app,
    state,
    keys,
    audit,
    token: (role, id, ttlSeconds = 3600) => issuePlatformToken(keys.active(), { role, id, ttlSeconds }),
    async close() {
      await app.close()
      await audit.close()
      await state.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
