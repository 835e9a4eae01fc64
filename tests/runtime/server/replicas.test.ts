/**
 * Two API replicas (`indomain serve`, two processes) on one PostgreSQL database, under load from
 * this process: they behave as one. A quota is exact across them, a consent token good for one
 * use is used once whichever replicas it reaches, and after one replica is killed (SIGKILL) mid
 * load, every release a client received is in the ledger and the audit trail, and the one chain
 * verifies against the last head either replica published. Needs PostgreSQL (CI provides it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { loadConfig, type RuntimeConfig } from '../../../runtime/config.ts'
import { issueConsent } from '../../../runtime/consent/consent.ts'
import { openDevConsentIssuer } from '../../../runtime/consent/consent-issuer.ts'
import { openAuditTrail } from '../../../runtime/audit/index.ts'
import { openKeys } from '../../../runtime/release/open-keys.ts'
import { bootstrapExamples } from '../../../runtime/server/bootstrap.ts'
import { openState } from '../../../runtime/state/state.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { startServeProcess } from '../../helpers/serve-process.ts'
import { stateBackends, TEST_DATABASE_URL } from '../../helpers/state-backends.ts'

const postgres = stateBackends().find((b) => b.name === 'postgres')
const PORTS = [22000 + Math.floor(Math.random() * 500), 22500 + Math.floor(Math.random() * 500)] as const
const base = (i: number) => `http://127.0.0.1:${PORTS[i]}`

let sample: SampleStore
let config: RuntimeConfig
let env: NodeJS.ProcessEnv
let replicas: ChildProcess[] = []
let demoKey: string
let demoConsumer: string
let quotaKey: string
let uscc: string[]
let person: string

const invoke = (replica: number, key: string, product: string, input: object, consent?: string) =>
  fetch(`${base(replica)}/v1/products/${product}/invoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input, ...(consent === undefined ? {} : { consent }) }),
  })

describe.skipIf(postgres === undefined)('two replicas on one PostgreSQL', () => {
  beforeAll(async () => {
    sample = await createSampleStore(2000, 'replicas')
    const url = await postgres!.fresh()
    env = { ...process.env, INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'replica test passphrase', INDOMAIN_RATE_LIMIT: '1000000', INDOMAIN_DATABASE_URL: url }
    config = loadConfig(env)
    demoKey = (await bootstrapExamples(config, sample.catalog, 'products')).apiKey
    const state = await openState(config.stateDatabase)
    demoConsumer = (await state.registry.authenticate(demoKey))!.id
    quotaKey = (await state.registry.addConsumer('bank-quota', '限额银行', 25)).apiKey
    await state.close()
    uscc = (await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status IN ('存续', '在业') LIMIT 40`)).map((r) => String(r.uscc))
    person = String((await sample.storeRows(`SELECT resident_id FROM social_insurance_enrollment LIMIT 1`))[0]!.resident_id)
    replicas = await Promise.all(PORTS.map((port) => startServeProcess(env, port)))
  }, 240_000)

  afterAll(async () => {
    for (const r of replicas) if (r.exitCode === null) r.kill('SIGKILL')
    await postgres?.cleanup()
    sample?.dispose()
  })

  it('count a quota exactly across replicas: 25 of 60 racing calls', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => invoke(i % 2, quotaKey, 'enterprise-credit-score', { uscc: uscc[i % uscc.length] })))
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(25)
    expect(statuses.filter((s) => s === 429)).toHaveLength(35)
  })

  it('use a one-use consent token once, whichever replicas it reaches', async () => {
    const token = issueConsent(openDevConsentIssuer(config).active(), { residentId: person, product: 'personal-credit-score', consumer: demoConsumer, purpose: '贷前核验', days: 30, uses: 1 })
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => invoke(i % 2, demoKey, 'personal-credit-score', { residentId: person }, token)))
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 403)).toHaveLength(7)
  })

  it('lose nothing a client received when one replica is killed under load; the chain verifies against the last head', async () => {
    const received: string[] = []
    let stop = false
    let lastHead: string | undefined
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const replica = (w + i) % 2
        try {
          const r = await invoke(replica, demoKey, 'enterprise-credit-score', { uscc: uscc[(w * 7 + i) % uscc.length] })
          if (r.status === 200) received.push(((await r.json()) as { releaseId: string }).releaseId)
        } catch {
          // the killed replica's connections fail; the survivor goes on
        }
      }
    }
    const witness = async () => {
      while (!stop) {
        for (const replica of [0, 1]) {
          try {
            const head = (await (await fetch(`${base(replica)}/v1/audit/head`)).json()) as { signature: string | null }
            if (head.signature !== null) lastHead = head.signature
          } catch {
            // gone
          }
        }
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const load = Promise.all([...Array.from({ length: 8 }, (_, w) => worker(w)), witness()])
    for (const deadline = Date.now() + 90_000; received.length < 40 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50))
    replicas[0]!.kill('SIGKILL')
    const atKill = received.length
    for (const deadline = Date.now() + 60_000; received.length < atKill + 40 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50))
    stop = true
    await load
    expect(received.length).toBeGreaterThan(atKill)

    const state = await openState(config.stateDatabase)
    try {
      for (const id of received) expect((await state.releases.get(id)).status).toBe('released')
      const trail = openAuditTrail(state.database, { key: openKeys(config, 'production').active() })
      expect(lastHead).toBeDefined()
      expect(await trail.verify(openKeys(config, 'production').verificationJwks(), lastHead)).toMatchObject({ ok: true })
      const audited = new Set<string>()
      for await (const line of trail.lines()) {
        const entry = JSON.parse(line) as { action: string; detail?: { release?: string } }
        if (entry.action === 'release.signed' && entry.detail?.release !== undefined) audited.add(entry.detail.release)
      }
      expect(received.filter((id) => !audited.has(id))).toEqual([])
    } finally {
      await state.close()
    }
  }, 240_000)
})

it.runIf(postgres === undefined && TEST_DATABASE_URL === undefined)('needs PostgreSQL: set INDOMAIN_TEST_DATABASE_URL (.ci/run does)', () => {
  expect(postgres).toBeUndefined()
})
