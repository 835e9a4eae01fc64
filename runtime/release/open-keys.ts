/**
 * The key stores of an installation: production keys sealed with the configured passphrase, dev
 * keys (for `indomain dev`) in a file of their own. Without a configured passphrase one is
 * generated once into the keys folder (mode 0600) — acceptable for a developer machine; a
 * production deployment sets INDOMAIN_KEY_PASSPHRASE from its secret store.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RuntimeConfig } from '../config.ts'
import { openKeyStore, type KeyStore, type KeyUse } from './key-store.ts'

/** The passphrase sealing this installation's keys (generated once on a dev install). */
export function keyPassphrase(config: RuntimeConfig): string {
  if (config.keyPassphrase !== undefined) return config.keyPassphrase
  const file = join(config.keysDir, '.passphrase')
  if (!existsSync(file)) {
    mkdirSync(config.keysDir, { recursive: true, mode: 0o700 })
    writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 })
  }
  return readFileSync(file, 'utf8').trim()
}

export function openKeys(config: RuntimeConfig, use: KeyUse): KeyStore {
  return openKeyStore(join(config.keysDir, use === 'dev' ? 'dev-signing-keys.json' : 'signing-keys.json'), keyPassphrase(config), use)
}
