/**
 * For tests of a partner's development over HTTP (inject): a server runtime over a synthetic sample
 * store (also its dev sample, so no second store is built), an operator's token, and partners
 * onboarded and registered by that operator. The caller closes it in afterAll.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { makeUscc } from '../../catalog/identifiers/uscc.ts'
import { loadConfig, type RuntimeConfig } from '../../runtime/config.ts'
import { openKeys } from '../../runtime/release/open-keys.ts'
import { issuePlatformToken } from '../../runtime/server/platform-tokens.ts'
import { createServerRuntime, type ServerRuntime } from '../../runtime/server/server-runtime.ts'
import { createSampleStore, type SampleStore } from './sample-store.ts'

/** A request with a credential, or without one (`token` null: the public routes, a refused call). */
export type PartnerCall = { readonly method?: 'GET' | 'POST' | 'PUT'; readonly url: string; readonly token: string | null; readonly body?: unknown }

export type PartnerServer = {
  readonly sample: SampleStore
  readonly config: RuntimeConfig
  readonly server: ServerRuntime
  /** An operator's platform token. */
  readonly operator: string
  call(request: PartnerCall): Promise<{ status: number; body: Record<string, any> }>
  /** A token for partner `id`, onboarded and registered (its identity's serial made from `serial`). */
  partner(id: string, serial: string): Promise<string>
  close(): Promise<void>
}

export async function createPartnerServer(seed: string): Promise<PartnerServer> {
  const sample = await createSampleStore(2000, seed)
  const config = loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: `${seed} test passphrase` })
  mkdirSync(config.devDir, { recursive: true })
  copyFileSync(sample.path, join(config.devDir, 'sample.duckdb'))
  const server = await createServerRuntime(config)
  const operator = issuePlatformToken(openKeys(config, 'production').active(), { role: 'operator', id: 'op-zhang', ttlSeconds: 3600 })
  const call: PartnerServer['call'] = async ({ method = 'GET', url, token, body }) => {
    const r = await server.app.inject({ method, url, headers: token === null ? {} : { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) })
    return { status: r.statusCode, body: r.json() as Record<string, any> }
  }
  return {
    sample,
    config,
    server,
    operator,
    call,
    async partner(id, serial) {
      const token = (await call({ method: 'POST', url: '/v1/operator/tokens', token: operator, body: { role: 'partner', subject: id } })).body.token as string
      const identity = { name: '合肥数智科技有限公司', uscc: makeUscc('9', '1', '340100', serial), contact: 'dpo@partner.example', confidentialityAcknowledged: true }
      const registered = await call({ method: 'POST', url: '/v1/partner/register', token, body: identity })
      if (registered.status !== 201) throw new Error(`partner ${id} not registered: ${JSON.stringify(registered.body)}`)
      return token
    },
    async close() {
      await server.close()
      sample.dispose()
    },
  }
}
