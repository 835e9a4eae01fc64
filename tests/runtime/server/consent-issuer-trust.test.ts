/**
 * The local dev consent issuer (`indomain consent issue`) lets whoever can run a command on the
 * machine consent for anybody. A server that listens beyond the machine does not start on it: it
 * needs the consent issuers the operator trusts (INDOMAIN_CONSENT_JWKS), and says so. On loopback
 * (a development install) the dev issuer still works, and with the setting a public server starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, exportJWK } from 'jose'
import { BIN, startServeProcess } from '../../helpers/serve-process.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

let sample: SampleStore
let env: NodeJS.ProcessEnv
const running: ChildProcess[] = []
const port = () => 20_000 + Math.floor(Math.random() * 20_000)

beforeAll(async () => {
  sample = await createSampleStore(1000, 'consent-trust')
  env = { ...process.env, INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'consent trust passphrase' }
  delete env.INDOMAIN_CONSENT_JWKS
}, 120_000)

afterAll(() => {
  for (const child of running) child.kill('SIGTERM')
  sample.dispose()
})

describe('which consent issuers a server trusts', () => {
  it('a server on every interface without INDOMAIN_CONSENT_JWKS refuses to start, naming the setting', () => {
    const refused = spawnSync(process.execPath, [BIN, 'serve', '--port', String(port())], { env: { ...env, INDOMAIN_HOST: '0.0.0.0' }, encoding: 'utf8', timeout: 120_000 })
    expect(refused.status).not.toBe(0)
    expect(refused.stderr).toContain('ERR_CONFIG_INVALID')
    expect(refused.stderr).toContain('INDOMAIN_CONSENT_JWKS')
  })

  it('with the issuers the operator trusts, the same server starts (control)', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
    const file = join(sample.dir, 'consent-issuers.json')
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'city-consent-1', alg: 'EdDSA', use: 'sig' }] }))
    const p = port()
    running.push(await startServeProcess({ ...env, INDOMAIN_HOST: '0.0.0.0', INDOMAIN_CONSENT_JWKS: file }, p))
    expect((await fetch(`http://127.0.0.1:${p}/health`)).status).toBe(200)
  }, 120_000)

  it('on loopback the dev issuer is trusted, as on a development install (control)', async () => {
    const p = port()
    running.push(await startServeProcess(env, p))
    expect((await fetch(`http://127.0.0.1:${p}/health`)).status).toBe(200)
  }, 120_000)
})
