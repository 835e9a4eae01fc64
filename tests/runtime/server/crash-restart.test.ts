/**
 * Kill the server mid-load (SIGKILL) and restart: the audit chain verifies and extends the last
 * head the server published, and every release a consumer received is in the trail and the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { loadConfig } from '../../../runtime/config.ts'
import { bootstrapExamples } from '../../../runtime/server/bootstrap.ts'
import { openAuditTrail } from '../../../runtime/audit/index.ts'
import { openState } from '../../../runtime/state/state.ts'
import { auditText } from '../../helpers/audit-trail.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { startServeProcess } from '../../helpers/serve-process.ts'

let sample: SampleStore
let env: NodeJS.ProcessEnv
let apiKey: string
let uscc: string[]
const PORT = 18000 + Math.floor(Math.random() * 1000)

const startServer = () => startServeProcess(env, PORT)

beforeAll(async () => {
  sample = await createSampleStore(2000, 'crash')
  env = { ...process.env, INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'crash test passphrase', INDOMAIN_RATE_LIMIT: '1000000' }
  const config = loadConfig(env)
  apiKey = (await bootstrapExamples(config, sample.catalog, 'products')).apiKey
  uscc = (await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status IN ('存续', '在业') LIMIT 50`)).map((r) => String(r.uscc))
}, 120_000)
afterAll(() => sample.dispose())

describe('a crash under load', () => {
  it('loses no returned release from the audit trail, and the chain verifies after restart', async () => {
    const server = await startServer()
    const received: string[] = []
    let stop = false
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await fetch(`http://127.0.0.1:${PORT}/v1/products/enterprise-credit-score/invoke`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ input: { uscc: uscc[(w * 7 + i) % uscc.length] } }),
          })
          if (r.status === 200) received.push(((await r.json()) as { releaseId: string }).releaseId)
        } catch {
          return
        }
      }
    }
    // a witness keeps the signed heads the server publishes
    let lastHead: string | undefined
    const witness = async () => {
      while (!stop) {
        try {
          const head = (await (await fetch(`http://127.0.0.1:${PORT}/v1/audit/head`)).json()) as { signature: string | null }
          if (head.signature !== null) lastHead = head.signature
        } catch {
          return
        }
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const load = Promise.all([...Array.from({ length: 8 }, (_, w) => worker(w)), witness()])
    // kill it while it serves: once it has returned some releases (the first calls build the views
    // and the index, which takes longer on a busy machine), and a little later, calls still in flight
    for (const deadline = Date.now() + 90_000; received.length < 30 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 300))
    server.kill('SIGKILL')
    stop = true
    await load
    expect(received.length).toBeGreaterThan(20)

    const config = loadConfig(env)
    // restart: the state opens as the server opens it; the chain verifies, and extends the last head published before the kill
    const state = await openState(config.stateDatabase)
    try {
      const trail = openAuditTrail(state.database, { key: openKeys(config, 'production').active() })
      expect(lastHead).toBeDefined()
      expect(await trail.verify(openKeys(config, 'production').jwks(), lastHead)).toMatchObject({ ok: true })
      const text = auditText(config.stateDatabase)
      expect(received.filter((id) => !text.includes(`"release":"${id}"`))).toEqual([])
      // and in the ledger, signed
      for (const id of received) expect((await state.releases.get(id)).status).toBe('released')
    } finally {
      await state.close()
    }
  }, 120_000)
})
