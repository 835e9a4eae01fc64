/**
 * Serving, measured from outside: `POST /v1/products/enterprise-credit-score/invoke` (auth, rows
 * through the gate's warm index, the sandbox, release checks, signing, the ledger and a durable
 * audit entry) for 400 different enterprises, served by `indomain serve` in a process of its own,
 * against a bare fastify route returning a constant in another process. The load comes from a third
 * process (`wrk` where installed, else autocannon in a child process: load-from-outside.ts), at 2
 * and 10 connections (keep-alive, 10 s each, after a warm-up), both servers in the same run; the
 * CPU of the serving process and of its whole tree (sandbox workers) is read from /proc. Once with
 * the embedded state, and once on PostgreSQL when INDOMAIN_BENCH_DATABASE_URL (or
 * INDOMAIN_TEST_DATABASE_URL) names a server.
 * - `api.invoke_vs_bare.ratio` (embedded) / `api.invoke_vs_bare.postgres.ratio`: invoke requests/s
 *   ÷ bare requests/s at 10 connections. Goal ≥ 0.25 (issue 16).
 * - `api.invoke.p99_ms` (baseline p50) at 10 connections; `api.invoke.c2.p50_ms` at 2.
 * - `api.invoke.first5s_p99_ms`: p99 of the first 5 s of traffic after the server said ready
 *   (baseline: the steady p99). Goal ≤ 2× steady (issue 16).
 * - `api.invoke.cpu_us_per_call` (the serving process) and `.tree_cpu_us_per_call` (with its
 *   workers), baseline: the bare route's CPU per call measured the same way.
 * - `api.invoke.postgres.two_replicas.ratio`: two `indomain serve` on one PostgreSQL, the 10
 *   connections split 5 and 5, requests/s of the pair ÷ one replica's (goal ≥ 1.6 where the cores allow).
 * - `api.sigterm_exit_ms`: after 5 s of the 10-connection load (still running), SIGTERM → the
 *   process exits (calls in flight finished, the trail flushed). Goal ≤ 10,000 ms (issue 15);
 *   baseline: the configured bound (drain + hard stop).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { loadCatalog } from '../catalog/load-catalog.ts'
import { loadConfig } from '../runtime/config.ts'
import { buildStore, openStore } from '../runtime/store/index.ts'
import { bootstrapExamples } from '../runtime/server/bootstrap.ts'
import type { Benchmark } from './harness.ts'
import { loadFromOutside, LOAD_TOOL, type LoadRequest, type LoadResult } from './load-from-outside.ts'
import { round, shared } from './measure.ts'

type Figures = { bare: { c2: LoadResult; c10: LoadResult }; invoke: { c2: LoadResult; c10: LoadResult }; first5s: LoadResult; pair?: { rps: number; failures: number }; sigtermExitMs: number; sigtermExitCode: number | null; drainBoundMs: number }

const SECONDS = 10

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

/** Runs `work` with a client of its own on `url`, closed after. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `indomain_bench_api_${randomBytes(5).toString('hex')}`
  await withClient(url, (c) => c.query(`CREATE DATABASE ${name}`))
  const u = new URL(url)
  u.pathname = `/${name}`
  return { url: u.toString(), drop: () => withClient(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) }
}

/**
 * A data folder `dir` (on the state at `databaseUrl`, or embedded) with the sample store built and
 * the examples published; `serving` starts `indomain serve` on it and resolves once it said ready
 * (products loaded, indexes built, workers up: the first calls are measured from there), with the
 * invoke load for it.
 */
async function prepared(dir: string, databaseUrl?: string) {
  const env = {
    ...process.env,
    INDOMAIN_DATA_DIR: dir,
    INDOMAIN_KEY_PASSPHRASE: 'benchmark passphrase',
    INDOMAIN_RATE_LIMIT: '100000000',
    ...(databaseUrl === undefined ? {} : { INDOMAIN_DATABASE_URL: databaseUrl }),
  }
  const config = loadConfig(env)
  const catalog = loadCatalog()
  await buildStore({ catalog, path: config.storePath, scale: 20_000, seed: 'bench-api' })
  const { apiKey } = await bootstrapExamples(config, catalog, 'products')
  const store = await openStore(config.storePath, { access: 'read-only' })
  const uscc = (await store.connection.runAndReadAll(`SELECT uscc FROM enterprise_basic WHERE status = '存续' ORDER BY uscc LIMIT 400`)).getRowsJS().map((r) => String(r[0]))
  store.close()
  const serving = async (port: number) => {
    const server = await started([BIN, 'serve', '--port', String(port)], env, /serving on (http:\/\/[^ ]+)[\s\S]*indomain ready/)
    const invoke: LoadRequest = {
      url: `${server.url}/v1/products/enterprise-credit-score/invoke`,
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      bodies: uscc.map((u) => JSON.stringify({ input: { uscc: u } })),
    }
    return { ...server, invoke }
  }
  return { env, config, serving }
}

const measureOn = (databaseUrl: string | undefined) => shared(async (): Promise<Figures> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-api-'))
  const database = databaseUrl === undefined ? undefined : await freshPostgres(databaseUrl)
  const { env, config, serving } = await prepared(dir, database?.url)
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const server = await serving(port)
  const bare = await started([BARE], env, /listening (http:\/\/\S+)/)
  try {
    const { invoke } = server
    const constant: LoadRequest = { url: `${bare.url}/constant` }
    const at = (request: LoadRequest, child: ChildProcess, connections: number, seconds = SECONDS) => loadFromOutside(request, { connections, seconds, serverPid: child.pid!, workDir: dir })
    // the first 5 s of traffic after ready, before any warm-up
    const first5s = await at(invoke, server.child, 10, 5)
    // warm both
    await at(invoke, server.child, 2, 3)
    await at(constant, bare.child, 2, 2)
    const figures = {
      first5s,
      bare: { c2: await at(constant, bare.child, 2), c10: await at(constant, bare.child, 10) },
      invoke: { c2: await at(invoke, server.child, 2), c10: await at(invoke, server.child, 10) },
    }
    for (const [name, r] of Object.entries(figures.invoke)) if (r.failures > 0) throw new Error(`invoke at ${name} answered ${r.failures} failures of ${r.requests}`)
    // on PostgreSQL: a second replica on the same database, and the same 10 connections split over both
    let pair: Figures['pair']
    if (database !== undefined) {
      const second = await serving(port + 1)
      try {
        const other = second.invoke
        await at(other, second.child, 2, 3)
        const both = await Promise.all([at(invoke, server.child, 5), at(other, second.child, 5)])
        pair = { rps: both[0].rps + both[1].rps, failures: both[0].failures + both[1].failures }
        if (pair.failures > 0) throw new Error(`two replicas answered ${pair.failures} failures`)
      } finally {
        await stopped(second.child)
      }
    }
    // shutdown under load: SIGTERM 5 s into another run of the same load, timed until the process is gone
    const under = at(invoke, server.child, 10, 10).catch(() => undefined)
    await new Promise((r) => setTimeout(r, 5000))
    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)))
    const killedAt = performance.now()
    server.child.kill('SIGTERM')
    const sigtermExitCode = await exited
    const sigtermExitMs = performance.now() - killedAt
    void under
    return { ...figures, ...(pair === undefined ? {} : { pair }), sigtermExitMs, sigtermExitCode, drainBoundMs: config.shutdownDrainMs + 2500 }
  } finally {
    await stopped(bare.child)
    await stopped(server.child)
    await database?.drop()
    rmSync(dir, { recursive: true, force: true })
  }
})

const measure = measureOn(undefined)
const measurePostgres = POSTGRES_URL === undefined ? undefined : measureOn(POSTGRES_URL)

const PROXY = fileURLToPath(new URL('./fixtures/delay-proxy/proxy.ts', import.meta.url))

/** p50 of `select 1` through `url` (ms). */
async function roundTripMs(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const times: number[] = []
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now()
      await client.query('select 1')
      times.push(performance.now() - t0)
    }
    return times.sort((a, b) => a - b)[25]!
  })
}

/** The same server and load with PostgreSQL behind a delay proxy (a database on another host): where round trips show. */
const measureRemote = (databaseUrl: string) => shared(async (): Promise<{ rttMs: number; c2: LoadResult; c10: LoadResult }> => {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bench-api-remote-'))
  const database = await freshPostgres(databaseUrl)
  const proxy = await started([PROXY, new URL(database.url).port || '5432'], process.env, /listening (\d+)/)
  try {
    const remote = new URL(database.url)
    remote.port = proxy.url
    const { serving } = await prepared(dir, remote.toString())
    const rttMs = await roundTripMs(remote.toString())
    const server = await serving(20_000 + Math.floor(Math.random() * 20_000))
    try {
      const at = (connections: number, seconds = SECONDS) => loadFromOutside(server.invoke, { connections, seconds, serverPid: server.child.pid!, workDir: dir })
      await at(2, 3)
      const c2 = await at(2)
      const c10 = await at(10)
      for (const r of [c2, c10]) if (r.failures > 0) throw new Error(`invoke on the remote database answered ${r.failures} failures of ${r.requests}`)
      return { rttMs, c2, c10 }
    } finally {
      await stopped(server.child)
    }
  } finally {
    await stopped(proxy.child)
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  }
})
const remotePostgres = POSTGRES_URL === undefined ? undefined : measureRemote(POSTGRES_URL)

const tool = `${LOAD_TOOL} in its own process`

function idsFor(suffix: string, what: string, measure: () => Promise<Figures>): Benchmark[] {
  return [
    {
      id: `api.invoke_vs_bare${suffix}.ratio`,
      title: `invoke requests/s ÷ a bare fastify route's requests/s at 10 connections, ${what} (servers in their own processes; ${tool})`,
      async run() {
        const f = await measure()
        const ratio = round(f.invoke.c10.rps / f.bare.c10.rps)
        return { value: ratio, unit: 'ratio', baseline: round(f.bare.c10.rps, 0), ratio, goal: null }
      },
    },
    {
      id: `api.invoke${suffix}.rps`,
      title: `invoke requests per second at 10 connections, ${what} (baseline: bare fastify)`,
      async run() {
        const f = await measure()
        return { value: round(f.invoke.c10.rps, 0), unit: 'req/s', baseline: round(f.bare.c10.rps, 0), ratio: round(f.invoke.c10.rps / f.bare.c10.rps), goal: null }
      },
    },
    {
      id: `api.invoke${suffix}.c2.rps`,
      title: `invoke requests per second at 2 connections, ${what} (baseline: bare fastify at 2)`,
      async run() {
        const f = await measure()
        return { value: round(f.invoke.c2.rps, 0), unit: 'req/s', baseline: round(f.bare.c2.rps, 0), ratio: round(f.invoke.c2.rps / f.bare.c2.rps), goal: null }
      },
    },
    {
      id: `api.invoke${suffix}.p99_ms`,
      title: `invoke p99 latency at 10 connections, ${what} (baseline: p50)`,
      async run() {
        const f = await measure()
        return { value: round(f.invoke.c10.p99Ms, 2), unit: 'ms', baseline: round(f.invoke.c10.p50Ms, 2), ratio: null, goal: 10 }
      },
    },
    {
      id: `api.invoke${suffix}.first5s_p99_ms`,
      title: `invoke p99 latency in the first 5 s after ready at 10 connections, ${what} (baseline: the steady p99)`,
      async run() {
        const f = await measure()
        return { value: round(f.first5s.p99Ms, 2), unit: 'ms', baseline: round(f.invoke.c10.p99Ms, 2), ratio: round(f.first5s.p99Ms / f.invoke.c10.p99Ms), goal: null }
      },
    },
    {
      id: `api.invoke${suffix}.c2.p50_ms`,
      title: `invoke p50 latency at 2 connections, ${what} (baseline: bare fastify's p50 at 2)`,
      async run() {
        const f = await measure()
        return { value: round(f.invoke.c2.p50Ms, 2), unit: 'ms', baseline: round(f.bare.c2.p50Ms, 2), ratio: round(f.invoke.c2.p50Ms / f.bare.c2.p50Ms), goal: null }
      },
    },
    {
      id: `api.invoke${suffix}.cpu_us_per_call`,
      title: `CPU µs per invoke of the serving process at 10 connections, ${what} (baseline: bare fastify's per request)`,
      async run() {
        const f = await measure()
        return { value: round(f.invoke.c10.cpuUsPerCall, 0), unit: 'us', baseline: round(f.bare.c10.cpuUsPerCall, 0), ratio: round(f.invoke.c10.cpuUsPerCall / f.bare.c10.cpuUsPerCall), goal: 250 }
      },
    },
    {
      id: `api.invoke${suffix}.tree_cpu_us_per_call`,
      title: `CPU µs per invoke of the serving process and its sandbox workers at 10 connections, ${what} (baseline: bare fastify's per request)`,
      async run() {
        const f = await measure()
        return { value: round(f.invoke.c10.treeCpuUsPerCall, 0), unit: 'us', baseline: round(f.bare.c10.treeCpuUsPerCall, 0), ratio: round(f.invoke.c10.treeCpuUsPerCall / f.bare.c10.treeCpuUsPerCall), goal: 400 }
      },
    },
  ]
}

export const benchmarks: readonly Benchmark[] = [
  ...idsFor('', 'embedded state', measure),
  {
    id: 'api.sigterm_exit_ms',
    title: 'SIGTERM to exit of `indomain serve` under load (10 connections, 5 s in), embedded state (baseline: the configured drain bound)',
    async run() {
      const f = await measure()
      if (f.sigtermExitCode !== 0) throw new Error(`the server exited with ${f.sigtermExitCode} after SIGTERM`)
      return { value: round(f.sigtermExitMs, 0), unit: 'ms', baseline: f.drainBoundMs, ratio: round(f.sigtermExitMs / f.drainBoundMs), goal: 10_000 }
    },
  },
  ...(measurePostgres === undefined ? [] : idsFor('.postgres', 'state on PostgreSQL', measurePostgres)),
  ...(measurePostgres === undefined
    ? []
    : [
        {
          id: 'api.invoke.postgres.two_replicas.ratio',
          title: 'invoke requests/s of two replicas on one PostgreSQL (5 connections each) ÷ one replica\'s at 10 connections (issue 16: ≥ 1.6 where the cores allow)',
          async run() {
            const f = await measurePostgres()
            return { value: round(f.pair!.rps / f.invoke.c10.rps), unit: 'ratio', baseline: round(f.invoke.c10.rps, 0), ratio: round(f.pair!.rps / f.invoke.c10.rps), goal: null }
          },
        } satisfies Benchmark,
      ]),
  ...(remotePostgres === undefined
    ? []
    : [
        {
          id: 'api.invoke.postgres_remote.c2.p50_ms',
          title: 'invoke p50 latency at 2 connections, PostgreSQL behind a delay proxy (another host) (baseline: the database round trip it gives; ratio: round trips\' worth of latency per call)',
          async run() {
            const f = await remotePostgres()
            return { value: round(f.c2.p50Ms, 2), unit: 'ms', baseline: round(f.rttMs, 2), ratio: round(f.c2.p50Ms / f.rttMs), goal: null }
          },
        } satisfies Benchmark,
        {
          id: 'api.invoke.postgres_remote.rps',
          title: 'invoke requests per second at 10 connections, PostgreSQL behind a delay proxy (baseline: the database round trip in ms)',
          async run() {
            const f = await remotePostgres()
            return { value: round(f.c10.rps, 0), unit: 'req/s', baseline: round(f.rttMs, 2), ratio: null, goal: null }
          },
        } satisfies Benchmark,
      ]),
]
