/**
 * Fuzzed from another process: a server (`indomain serve`, its own process, real sockets) is sent
 * every operation of its OpenAPI document with every kind of credential and inputs made to break
 * it, plus what the HTTP parser and the console's file server see (bad and long URLs, huge
 * headers, odd methods, ranges, preconditions, path traversal). No answer may be a 5xx, every
 * error answer carries a catalogue code and echoes nothing of the request, and the server still
 * serves afterwards. Bounded in time (INDOMAIN_FUZZ_SECONDS, default 20).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { loadConfig } from '../../runtime/config.ts'
import { bootstrapExamples } from '../../runtime/server/bootstrap.ts'
import { openKeys } from '../../runtime/release/open-keys.ts'
import { issuePlatformToken } from '../../runtime/server/platform-tokens.ts'
import { createSampleStore, type SampleStore } from '../helpers/sample-store.ts'
import { startServeProcess } from '../helpers/serve-process.ts'

const PORT = 21000 + Math.floor(Math.random() * 1000)
const BASE = `http://127.0.0.1:${PORT}`
const SECONDS = Number(process.env.INDOMAIN_FUZZ_SECONDS ?? 20)
const FUZZER = new URL('../helpers/http-fuzzer.ts', import.meta.url).pathname
let sample: SampleStore
let server: ChildProcess
let credentials: Record<string, string>

beforeAll(async () => {
  sample = await createSampleStore(2000, 'fuzz')
  const env = { ...process.env, INDOMAIN_DATA_DIR: sample.dir, INDOMAIN_STORE: sample.path, INDOMAIN_KEY_PASSPHRASE: 'fuzz test passphrase', INDOMAIN_RATE_LIMIT: '10000000' }
  const config = loadConfig(env)
  const { apiKey } = await bootstrapExamples(config, sample.catalog, 'products')
  const key = openKeys(config, 'production').active()
  credentials = {
    consumer: apiKey,
    operator: issuePlatformToken(key, { role: 'operator', id: 'op-fuzz', ttlSeconds: 3600 }),
    auditor: issuePlatformToken(key, { role: 'auditor', id: 'audit-fuzz', ttlSeconds: 3600 }),
    partner: issuePlatformToken(key, { role: 'partner', id: 'fuzz-lab', ttlSeconds: 3600 }),
  }
  server = await startServeProcess(env, PORT)
}, 120_000)
afterAll(() => {
  if (server !== undefined && server.exitCode === null) server.kill('SIGKILL')
  sample.dispose()
})

describe('an HTTP fuzzer in another process', () => {
  it('finds no 5xx, no error without a catalogue code, no echo of the request; the server still serves', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [FUZZER, BASE, String(SECONDS), JSON.stringify(credentials)], { timeout: (SECONDS + 120) * 1000, maxBuffer: 16 * 1024 * 1024 })
    const report = JSON.parse(stdout.trim()) as { requests: number; statuses: Record<string, number>; findings: unknown[]; findingCount: number }
    process.stderr.write(`fuzzer: ${report.requests} requests, statuses ${JSON.stringify(report.statuses)}\n`)
    expect(report.requests).toBeGreaterThan(100)
    expect(report.findings, JSON.stringify(report.findings, null, 1)).toEqual([])
    // positive control: it answered successes too, and still serves
    expect(Object.keys(report.statuses).some((s) => s.startsWith('2'))).toBe(true)
    expect((await fetch(`${BASE}/v1/products`)).status).toBe(200)
  }, (SECONDS + 180) * 1000)
})
