/**
 * Which consent issuers are trusted: a JWKS file configured by the operator (INDOMAIN_CONSENT_JWKS),
 * or — on a development install — the local dev issuer, whose tokens `indomain consent issue` makes.
 */
import { join } from 'node:path'
import type { JSONWebKeySet } from 'jose'
import type { RuntimeConfig } from '../config.ts'
import { openKeyStore, type KeyStore } from '../release/key-store.ts'
import { keyPassphrase } from '../release/open-keys.ts'
import { readFileSync } from 'node:fs'

export function openDevConsentIssuer(config: RuntimeConfig): KeyStore {
  return openKeyStore(join(config.keysDir, 'dev-consent-issuer.json'), keyPassphrase(config), 'dev')
}

export function consentJwks(config: RuntimeConfig): JSONWebKeySet {
  if (config.consentJwksPath !== undefined) return JSON.parse(readFileSync(config.consentJwksPath, 'utf8')) as JSONWebKeySet
  const issuer = openDevConsentIssuer(config)
  issuer.active()
  return issuer.jwks()
}
