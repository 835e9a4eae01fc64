/**
 * Serving, measured from outside: `POST /v1/products/enterprise-credit-score/invoke` (auth, rows
 * through the gate's warm index, the sandbox, release checks, signing, the ledger and a durable
 * audit entry) served by `indomain serve` in a process of its own, against a bare fastify route
 * returning a constant in another process, both loaded by autocannon from this process (10
 * connections, 10 s each, keep-alive) in the same run; once with the embedded state and once on
 * PostgreSQL when INDOMAIN_BENCH_DATABASE_URL (or INDOMAIN_TEST_DATABASE_URL) names a server.
 * - `api.invoke_vs_bare.ratio` (embedded) / `api.invoke_vs_bare.postgres.ratio`: invoke requests/s
 *   ÷ bare requests/s. Goal ≥ 0.25 (issue 16).
 * - `api.invoke.p99_ms`: p99 latency of invoke at 10 connections (embedded). Goal ≤ 15 ms.
 * - `api.sigterm_exit_ms`: after 5 s of that load (still running), SIGTERM → the process exits
 *   (calls in flight finished, the trail flushed). Goal ≤ 10,000 ms (issue 15); baseline: the
 *   configured bound (drain + hard stop).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { loadConfig } from '../runtime/config.ts'
import { buildStore, openStore } from '../runtime/store/index.ts'
import { bootstrapExamples } from '../runtime/server/bootstrap.ts'
import type { Benchmark } from './harness.ts'
import { round, shared } from './measure.ts'

type Figures = { bareRps: number; invokeRps: number; invokeP99: number; invokeP50: number; sigtermExitMs: number; sigtermExitCode: number | null; drainBoundMs: number }

async function load(url: string, options: { method?: 'POST'; headers?: Record<string, string>; body?: string }): Promise<autocannon.Result> {
  return autocannon({ url, connections: 10, duration: 10, ...options })
}

const POSTGRES_URL = process.env.INDOMAIN_BENCH_DATABASE_URL ?? process.env.INDOMAIN_TEST_DATABASE_URL
const BIN = fileURLToPath(new URL('../bin/indomain.js', import.meta.url))
const BARE = fileURLToPath(new URL('./fixtures/bare-fastify/server.ts', import.meta.url))

/** Starts a process and resolves with it once its stderr matches `ready` (the match's first group: its URL). */
function started(args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((resolve, reject) => {
    let text = ''
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString()
      const m = ready.exec(text)
      if (m !== null) resolve({ child, url: m[1]! })
    })
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${text.slice(-500)}`)))
  })
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `indomain_bench_api_${randomBytes(5).toString('hex')}`
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    try {
      await c.query(sql)
    } finally {
      await c.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const u = new URL(url)
  u.pathname = `/${name}`
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

const measureOn = (databaseUrl: string | undefined) => shared(async (): Promise<Figures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-api-'))
  const database = databaseUrl === undefined ? undefined : await freshPostgres(databaseUrl)
  const env = {
    ...process.env,
    INDOMAIN_DATA_DIR: dir,
    INDOMAIN_KEY_PASSPHRASE: 'benchmark passphrase',
    INDOMAIN_RATE_LIMIT: '100000000',
    ...(database === undefined ? {} : { INDOMAIN_DATABASE_URL: database.url }),
  }
  const config = loadConfig(env)
  const catalog = loadCatalog()
  await buildStore({ catalog, path: config.storePath, scale: 20_000, seed: 'bench-api' })
  const { apiKey } = await bootstrapExamples(config, catalog, 'products')
  const store = await openStore(config.storePath, { access: 'read-only' })
  const uscc = String((await store.connection.runAndReadAll(`SELECT uscc FROM enterprise_basic WHERE status = '存续' LIMIT 1`)).getRowsJS()[0]![0])
  store.close()
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const server = await started([BIN, 'serve', '--port', String(port)], env, /serving on (http:\/\/[^ ]+)/)
  const bare = await started([BARE], env, /listening (http:\/\/\S+)/)
  try {
    const invokeUrl = `${server.url}/v1/products/enterprise-credit-score/invoke`
    const bareUrl = `${bare.url}/constant`
    const request = { method: 'POST' as const, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: { uscc } }) }
    // warm both
    await autocannon({ url: invokeUrl, connections: 2, amount: 200, ...request })
    await autocannon({ url: bareUrl, connections: 2, amount: 200 })
    const bareResult = await load(bareUrl, {})
    const invokeResult = await load(invokeUrl, request)
    if (invokeResult.non2xx > 0 || invokeResult.errors > 0) throw new Error(`invoke answered ${invokeResult.non2xx} non-2xx and ${invokeResult.errors} errors`)
    // shutdown under load: SIGTERM 5 s into a second run of the same load, timed until the process is gone
    const under = autocannon({ url: invokeUrl, connections: 10, duration: 30, ...request }, () => undefined)
    await new Promise((r) => setTimeout(r, 5000))
    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)))
    const killedAt = performance.now()
    server.child.kill('SIGTERM')
    const sigtermExitCode = await exited
    const sigtermExitMs = performance.now() - killedAt
    under.stop()
    return {
      sigtermExitMs,
      sigtermExitCode,
      drainBoundMs: config.shutdownDrainMs + 2500,
      bareRps: bareResult.requests.average,
      invokeRps: invokeResult.requests.average,
      invokeP99: invokeResult.latency.p99,
      invokeP50: invokeResult.latency.p50,
    }
  } finally {
    await stopped(bare.child)
    await stopped(server.child)
    await database?.drop()
    rmSync(dir, { recursive: true, force: true })
  }
})

const measure = measureOn(undefined)
const measurePostgres = POSTGRES_URL === undefined ? undefined : measureOn(POSTGRES_URL)

export const benchmarks: readonly Benchmark[] = [
  {
    id: 'api.invoke_vs_bare.ratio',
    title: 'invoke requests/s ÷ a bare fastify route\'s requests/s, embedded state (servers in their own processes; autocannon, 10 connections, loopback)',
    async run() {
      const f = await measure()
      const ratio = round(f.invokeRps / f.bareRps)
      return { value: ratio, unit: 'ratio', baseline: round(f.bareRps, 0), ratio, goal: null }
    },
  },
  {
    id: 'api.invoke.rps',
    title: 'invoke requests per second at 10 connections (goal: at least 0.2 of bare, aim 0.3)',
    async run() {
      const f = await measure()
      return { value: round(f.invokeRps, 0), unit: 'req/s', baseline: round(f.bareRps, 0), ratio: round(f.invokeRps / f.bareRps), goal: null }
    },
  },
  {
    id: 'api.invoke.p99_ms',
    title: 'invoke p99 latency at 10 connections (baseline: p50)',
    async run() {
      const f = await measure()
      return { value: f.invokeP99, unit: 'ms', baseline: f.invokeP50, ratio: null, goal: 15 }
    },
  },
  {
    id: 'api.sigterm_exit_ms',
    title: 'SIGTERM to exit of `indomain serve` under load (10 connections, 5 s in), embedded state (baseline: the configured drain bound)',
    async run() {
      const f = await measure()
      if (f.sigtermExitCode !== 0) throw new Error(`the server exited with ${f.sigtermExitCode} after SIGTERM`)
      return { value: round(f.sigtermExitMs, 0), unit: 'ms', baseline: f.drainBoundMs, ratio: round(f.sigtermExitMs / f.drainBoundMs), goal: 10_000 }
    },
  },
  ...(measurePostgres === undefined
    ? []
    : [
        {
          id: 'api.invoke_vs_bare.postgres.ratio',
          title: 'invoke requests/s ÷ a bare fastify route\'s requests/s, state on PostgreSQL (as above)',
          async run() {
            const f = await measurePostgres()
            const ratio = round(f.invokeRps / f.bareRps)
            return { value: ratio, unit: 'ratio', baseline: round(f.bareRps, 0), ratio, goal: null }
          },
        },
        {
          id: 'api.invoke.postgres.p99_ms',
          title: 'invoke p99 latency at 10 connections, state on PostgreSQL (baseline: p50)',
          async run() {
            const f = await measurePostgres()
            return { value: f.invokeP99, unit: 'ms', baseline: f.invokeP50, ratio: null, goal: 15 }
          },
        },
      ]),
]
