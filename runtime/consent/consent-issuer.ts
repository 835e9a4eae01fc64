/**
 * Which consent issuers are trusted: a JWKS file configured by the operator (INDOMAIN_CONSENT_JWKS),
 * or — on a development install — the local dev issuer, whose tokens `indomain consent issue` makes.
 * Whoever can run that command on the machine can consent for anybody, so a server that listens
 * beyond the machine itself does not start on the dev issuer: it needs INDOMAIN_CONSENT_JWKS.
 */
import { join } from 'node:path'
import type { JSONWebKeySet } from 'jose'
import type { RuntimeConfig } from '../config.ts'
import { openKeyStore, type KeyStore } from '../release/key-store.ts'
import { keyPassphrase } from '../release/open-keys.ts'
import { readFileSync } from 'node:fs'
import { RuntimeError } from '../errors.ts'

export function openDevConsentIssuer(config: RuntimeConfig): KeyStore {
  return openKeyStore(join(config.keysDir, 'dev-consent-issuer.json'), keyPassphrase(config), 'dev')
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

export function consentJwks(config: RuntimeConfig): JSONWebKeySet {
  if (config.consentJwksPath !== undefined) return JSON.parse(readFileSync(config.consentJwksPath, 'utf8')) as JSONWebKeySet
  if (!LOOPBACK.has(config.host)) {
    throw new RuntimeError('ERR_CONFIG_INVALID', 'A server reachable beyond this machine needs INDOMAIN_CONSENT_JWKS: the local dev consent issuer is trusted on 127.0.0.1 only', { details: { setting: 'INDOMAIN_CONSENT_JWKS' } })
  }
  const issuer = openDevConsentIssuer(config)
  issuer.active()
  return issuer.jwks()
}
