/**
 * For tests of a one-entity product the way a bank calls it: the product published on a server
 * runtime over a synthetic sample store (its declared scenario approved with the catalog's default
 * masks), a bank's API key, calls by `inject`, and consents for a person from the dev consent
 * issuer. The caller closes it in afterAll.
 */
import { loadConfig, type RuntimeConfig } from '../../runtime/config.ts'
import { issueConsent } from '../../runtime/consent/consent.ts'
import { openDevConsentIssuer } from '../../runtime/consent/consent-issuer.ts'
import { createServerRuntime, type ServerRuntime } from '../../runtime/server/server-runtime.ts'
import { approveAndPublish } from './published-product.ts'
import { createSampleStore, type SampleStore } from './sample-store.ts'

/** The bank the product is published to (approveAndPublish's default consumer). */
const BANK = 'bank-hf'

export type ApiCall = { readonly status: number; readonly body: Record<string, any> }

export type PublishedApiServer = {
  readonly sample: SampleStore
  readonly config: RuntimeConfig
  readonly server: ServerRuntime
  /** The bank calls the product with `input`, and a consent token if given. */
  invoke(input: unknown, consent?: string): Promise<ApiCall>
  /** A one-use consent of `residentId` for this product and bank, valid 30 days. */
  consent(residentId: string): string
  close(): Promise<void>
}

export async function createPublishedApiServer(productDir: string, productId: string, options: { readonly scale: number; readonly seed: string }): Promise<PublishedApiServer> {
  const sample = await createSampleStore(options.scale, options.seed)
  const config = loadConfig({ INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: `${options.seed} test passphrase`, INDOMAIN_RATE_LIMIT: '100000' })
  const { apiKey } = await approveAndPublish(sample, config, productDir, { partner: 'loan-lab', operator: 'op-zhang', priceFen: 50 })
  const server = await createServerRuntime(config)
  return {
    sample,
    config,
    server,
    async invoke(input, consent) {
      const r = await server.app.inject({
        method: 'POST',
        url: `/v1/products/${productId}/invoke`,
        headers: { authorization: `Bearer ${apiKey}` },
        payload: { input, ...(consent === undefined ? {} : { consent }) },
      })
      return { status: r.statusCode, body: r.json() as Record<string, any> }
    },
    consent: (residentId) => issueConsent(openDevConsentIssuer(config).active(), { residentId, product: productId, consumer: BANK, purpose: '贷前额度估算', days: 30, uses: 1 }),
    async close() {
      await server.close()
      sample.dispose()
    },
  }
}

/** The claims of a signed release (the middle part of its compact JWS). */
export function releaseClaims(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, any>
}
