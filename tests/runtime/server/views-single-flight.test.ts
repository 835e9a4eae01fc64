/**
 * Two replicas sharing one data folder (`indomain serve` twice, each in its own process, started
 * together on one embedded state) build each scenario's views once between them: the second waits
 * on the views lock and finds the file built. Every build writes a temporary file named with its
 * process id; the test watches the views folder and counts the builders. Both replicas then serve
 * calls from the same views.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { watch, mkdirSync, rmSync, type FSWatcher } from 'node:fs'
import type { ChildProcess } from 'node:child_process'
import { loadConfig } from '../../../runtime/config.ts'
import { bootstrapExamples } from '../../../runtime/server/bootstrap.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'
import { startServeProcess } from '../../helpers/serve-process.ts'

const PORT = 21000 + Math.floor(Math.random() * 1000)
let sample: SampleStore
let env: NodeJS.ProcessEnv
let apiKey: string
let uscc: string
let watcher: FSWatcher
const builders = new Map<string, Set<string>>()
const servers: ChildProcess[] = []

beforeAll(async () => {
  sample = await createSampleStore(3000, 'views-single-flight')
  env = { ...process.env, INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'views single flight passphrase', INDOMAIN_RATE_LIMIT: '1000000' }
  const config = loadConfig(env)
  apiKey = (await bootstrapExamples(config, sample.catalog, 'products')).apiKey
  uscc = String((await sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`))[0]!.uscc)
  // no views yet: the replicas build them as they warm up
  rmSync(config.viewsDir, { recursive: true, force: true })
  mkdirSync(config.viewsDir, { recursive: true })
  watcher = watch(config.viewsDir, (_event, name) => {
    const m = /^\.(scn-[a-z0-9-]+)\.building-(\d+)\.duckdb$/.exec(String(name))
    if (m === null) return
    if (!builders.has(m[1]!)) builders.set(m[1]!, new Set())
    builders.get(m[1]!)!.add(m[2]!)
  })
  servers.push(...(await Promise.all([startServeProcess(env, PORT), startServeProcess(env, PORT + 1)])))
}, 240_000)

afterAll(() => {
  watcher?.close()
  for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL')
  sample.dispose()
})

describe('views shared by replicas on one data folder', () => {
  it('are built once per scenario, whichever replica gets there first', () => {
    expect(builders.size).toBeGreaterThan(0)
    for (const [scenario, pids] of builders) expect([...pids], scenario).toHaveLength(1)
  })

  it('serve both replicas', async () => {
    for (const port of [PORT, PORT + 1]) {
      const r = await fetch(`http://127.0.0.1:${port}/v1/products/enterprise-credit-score/invoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input: { uscc } }),
      })
      expect(r.status, `replica on ${port}`).toBe(200)
    }
  })
})
