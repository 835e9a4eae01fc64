/**
 * Against a listening server (`indomain serve` in its own process, real sockets): the command
 * line bootstraps an operator token; a consumer calls a product, verifies the release with the
 * JWKS fetched over HTTP and finds the call in the usage disclosure; an auditor finds it in the
 * trail; an oversized body is refused at the socket; and SIGTERM finishes the calls in flight
 * before the process exits, every returned release in a chain that verifies.
 */
import { cityMonth } from '../../../runtime/city-calendar.ts'
import { auditText, verifyTrail } from '../../helpers/audit-trail.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { loadConfig } from '../../../runtime/config.ts'
import { openState } from '../../../runtime/state/state.ts'
import { bootstrapExamples } from '../../../runtime/server/bootstrap.ts'
import { verifyAuditFile } from '../../../runtime/audit/index.ts'
import { verifyRelease } from '../../../runtime/release/signing.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { BIN, startServeProcess } from '../../helpers/serve-process.ts'

const PORT = 19000 + Math.floor(Math.random() * 1000)
const BASE = `http://127.0.0.1:${PORT}`
let sample: SampleStore
let env: NodeJS.ProcessEnv
let apiKey: string
let uscc: string[]
let server: ChildProcess

const startServer = () => startServeProcess(env, PORT)
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env })
const get = async (path: string, token?: string) => {
  const r = await fetch(`${BASE}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  return { status: r.status, body: (await r.json()) as Record<string, any> }
}
const invoke = (input: object) =>
  fetch(`${BASE}/v1/products/enterprise-credit-score/invoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  })

beforeAll(async () => {
  sample = await createSampleStore(2000, 'listening')
  env = { ...process.env, INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'listening test passphrase', INDOMAIN_RATE_LIMIT: '1000000' }
  apiKey = (await bootstrapExamples(loadConfig(env), sample.catalog, 'products')).apiKey
  uscc = (await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status IN ('存续', '在业') LIMIT 40`)).map((r) => String(r.uscc))
  server = await startServer()
}, 120_000)
afterAll(() => {
  if (server.exitCode === null) server.kill('SIGKILL')
  sample.dispose()
})

describe('a listening server', () => {
  it('serves every role over real sockets, with a token the command line issued', async () => {
    const issued = cli('token', 'issue', '--role', 'operator', '--subject', 'op-cli', '--ttl', '1h')
    expect(issued.status, issued.stderr).toBe(0)
    const operator = issued.stdout.trim()
    expect((await get('/v1/operator/partners', operator)).status).toBe(200)
    // it said ready only once warm: readiness answers 200 (a load balancer's check)
    expect(await get('/v1/ready')).toEqual({ status: 200, body: { ready: true } })
    expect(cli('token', 'issue', '--role', 'root', '--subject', 'x').status).toBe(1)

    const response = await invoke({ uscc: uscc[0] })
    expect(response.status).toBe(200)
    const { releaseId, release } = (await response.json()) as { releaseId: string; release: string }
    const jwks = (await get('/.well-known/jwks.json')).body
    expect((await verifyRelease(release, { jwks: jwks as never, audience: (await get('/v1/usage', apiKey)).body.consumer })).jti).toBe(releaseId)
    const disclosure = await get(`/v1/disclosure?month=${cityMonth()}`)
    expect(disclosure.body.usage).toEqual([expect.objectContaining({ product: 'enterprise-credit-score', consumers: 1, calls: null, suppressed: true })])

    const auditor = (await (await fetch(`${BASE}/v1/operator/tokens`, { method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor', subject: 'audit-office' }) })).json()) as { token: string }
    const trail = await get(`/v1/audit/entries?action=release.signed`, auditor.token)
    expect((trail.body.entries as { detail: { release: string } }[]).map((e) => e.detail.release)).toContain(releaseId)

    const big = await fetch(`${BASE}/v1/products/enterprise-credit-score/invoke`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: { uscc: 'x'.repeat(200_000) } }) })
    expect(big.status).toBe(413)
    const refused = (await big.json()) as Record<string, unknown>
    expect(Object.keys(refused).sort()).toEqual(['code', 'message', 'requestId'])
    expect(refused.code).toBe('ERR_PAYLOAD_TOO_LARGE')
  })

  it('under sustained load, finishes the calls in flight on SIGTERM, then exits cleanly with every returned release in the trail', async () => {
    type Answer = { status: number; body: { releaseId?: string; code?: string } }
    const answer = (u: string) => invoke({ uscc: u }).then(async (r): Promise<Answer> => ({ status: r.status, body: (await r.json()) as Answer['body'] }), (): Answer => ({ status: 0, body: {} }))
    // ten clients calling back to back until the server stops answering: load, not a burst
    let stopping = false
    const results: Answer[] = []
    const client = async (k: number) => {
      for (let i = k; ; i += 10) {
        const r = await answer(uscc[i % uscc.length]!)
        results.push(r)
        if (r.status !== 200 && stopping) return
      }
    }
    const clients = Array.from({ length: 10 }, (_, k) => client(k))
    // SIGTERM once the load has run a while (by count, not by time: a busy machine is slower, not shorter)
    while (results.filter((r) => r.status === 200).length < 60) await new Promise((r) => setTimeout(r, 20))
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)))
    stopping = true
    server.kill('SIGTERM')
    await Promise.all(clients)
    expect(await exited).toBe(0)
    // answered in full, refused as not started (a typed code), or never accepted: no half-done call
    expect(results.every((r) => r.status === 200 || r.status === 0 || (r.status === 503 && r.body.code === 'ERR_SHUTTING_DOWN'))).toBe(true)
    const returned = results.filter((r) => r.status === 200).map((r) => r.body.releaseId!)
    expect(returned.length).toBeGreaterThan(0)
    const config = loadConfig(env)
    const text = auditText(config.stateDatabase)
    for (const id of returned) expect(text).toContain(id)
    // and in the ledger, as released
    const state = await openState(config.stateDatabase)
    try {
      for (const id of returned) expect((await state.releases.get(id)).status, id).toBe('released')
    } finally {
      await state.close()
    }
    const jwks = JSON.parse(cli('keys', 'jwks').stdout) as never
    expect(verifyTrail(config.stateDatabase, jwks)).toMatchObject({ ok: true })
  })
})
