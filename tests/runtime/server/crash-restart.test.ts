/**
 * Kill the server mid-load (SIGKILL) and restart: the audit chain verifies, a torn tail (if any)
 * is cut and recorded, and every release a consumer received is in the trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import { loadConfig } from '../../../runtime/config.ts'
import { bootstrapExamples } from '../../../runtime/server/bootstrap.ts'
import { openAuditLog, verifyAuditFile } from '../../../runtime/audit/index.ts'
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
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)))
    // kill it while it serves: once it has returned some releases (the first calls build the views
    // and the index, which takes longer on a busy machine), and a little later, calls still in flight
    for (const deadline = Date.now() + 90_000; received.length < 30 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 300))
    server.kill('SIGKILL')
    stop = true
    await load
    expect(received.length).toBeGreaterThan(20)

    const config = loadConfig(env)
    // simulate the worst case too: a torn half line at the end of the file
    appendFileSync(config.auditPath, '{"seq":999999,"at":"20')
    // restart (the log is opened as the server opens it) and verify
    const log = openAuditLog({ path: config.auditPath, key: openKeys(config, 'production').active() })
    await log.close()
    const verdict = verifyAuditFile(config.auditPath, openKeys(config, 'production').jwks())
    expect(verdict).toMatchObject({ ok: true })
    const trail = readFileSync(config.auditPath, 'utf8')
    expect(trail).toContain('"action":"audit.torn_tail_removed"')
    const missing = received.filter((id) => !trail.includes(`"release":"${id}"`))
    expect(missing).toEqual([])
  }, 120_000)
})
