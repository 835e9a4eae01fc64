/**
 * The homomorphic part of a runtime process, when the custodian has given it public keys
 * (`<heDir>/he-public.json`): the keys, the decryption service's address and the release policy's
 * thresholds. Without keys, products that declare encrypted aggregates are refused (ERR_HE_UNAVAILABLE).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { RuntimeConfig } from '../config.ts'
import type { KeyStore } from '../release/key-store.ts'
import { defaultPolicy } from '../release/release-policy.ts'
import { decryptionClient } from './decryption-client.ts'
import type { HeRuntime } from './encrypted-tables.ts'
import { loadPublicKeys, PUBLIC_KEYS_FILE } from './he-keys.ts'
import { groupedSumThread } from './grouped-sum-thread.ts'

export async function openHeRuntime(config: RuntimeConfig, catalog: Catalog, keys: KeyStore, storePath = config.storePath): Promise<HeRuntime | undefined> {
  const path = join(config.heDir, PUBLIC_KEYS_FILE)
  if (!existsSync(path)) return undefined
  const policy = defaultPolicy('report')
  return {
    storePath,
    catalog,
    // the evaluation thread holds the Galois keys; this thread needs only the context and the fingerprint
    keys: await loadPublicKeys(path, { galois: false }),
    signingKey: () => keys.active(),
    decrypt: decryptionClient(config.heDecryptionUrl),
    sum: groupedSumThread(path).sum,
    minCount: policy.minCount,
    // n values, each at most the declared bound, may hold at most k of a total: one may hold k/n
    dominanceShare: policy.dominance.k / policy.dominance.n,
  }
}
