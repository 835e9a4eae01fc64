/**
 * A child process (forked with --no-node-snapshot, like a sandbox worker) that times a batch
 * product inside its isolate alone: `ProductIsolate.batch` over columns generated in this
 * process, so neither the IPC copy to a worker nor the supervisor is part of the figure — only
 * the chunked copy into the isolate, the product's code and the envelope out. It uses the
 * runtime's own ProductIsolate, unchanged. The plain host scoring is timed here too, alternating
 * with the isolate runs, so that the ratio compares two figures from the same process and moment.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { BATCH_LIMITS } from '../runtime/sandbox/limits.ts'
import { generateEnterpriseFeatures, featureColumns, oneRowPerUnit } from './enterprise-features.ts'
import { FEATURE_TABLE, createTally, dayOf, scoreColumns, summarize } from './fixtures/batch-score/score.ts'

export type ProbeRequest = { readonly bundle: string; readonly rows: number; readonly seed: string; readonly asOf: string; readonly runs: number }
export type ProbeResult = {
  /** ms of each measured isolate run. */
  readonly times: number[]
  /** ms of each measured plain host run, alternating with the isolate runs. */
  readonly plainTimes: number[]
  /** Every isolate run's envelope, the warm-up's first. */
  readonly envelopes: string[]
  /** Units each run's classification covered. */
  readonly classified: number[]
}
export type ProbeReply = ProbeResult | EntityProbeResult | { readonly error: string }

/**
 * One-entity calls in the isolate alone: each call with a fresh instance of the product in the
 * sealed realm (as the runtime runs them) against one instance reused for every call (the warm
 * baseline of earlier versions), alternating in blocks, in one child process. `calls` are the wire rows and inputs of the calls, made by the caller.
 */
export type EntityProbeRequest = { readonly kind: 'entity'; readonly bundle: string; readonly calls: readonly { readonly input: string; readonly rows: string }[]; readonly asOf: string; readonly block: number; readonly rounds: number }
export type EntityProbeResult = {
  /** µs of each call: with a fresh product instance, and with the one reused instance. */
  readonly freshUs: number[]
  readonly warmUs: number[]
  /** Calls per second of one isolate calling back to back. */
  readonly freshCallsPerS: number
  readonly warmCallsPerS: number
  readonly freshOutputs: string[]
  readonly warmOutputs: string[]
}

const SELF = fileURLToPath(import.meta.url)

/** Runs the probe in a fresh child and returns its timings (ms per measured run, after one warm-up of each). */
export function probeIsolateBatch(request: ProbeRequest): Promise<ProbeResult> {
  return probe(request) as Promise<ProbeResult>
}

/** Runs the entity probe in a fresh child: µs per call, fresh contexts and the reused one. */
export function probeIsolateEntity(request: EntityProbeRequest): Promise<EntityProbeResult> {
  return probe(request) as Promise<EntityProbeResult>
}

function probe(request: ProbeRequest | EntityProbeRequest): Promise<ProbeResult | EntityProbeResult> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, [], { execArgv: ['--no-node-snapshot'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let settled = false
    child.once('message', (reply: ProbeReply) => {
      settled = true
      child.kill()
      if ('error' in reply) reject(new Error(`isolate probe failed: ${reply.error}`))
      else resolve(reply)
    })
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`isolate probe exited early (${signal ?? `exit ${code}`})`))
    })
    child.send(request)
  })
}

async function serve(request: ProbeRequest): Promise<ProbeReply> {
  // imported here: isolated-vm is loaded only in the child, which has --no-node-snapshot
  const { ProductIsolate } = await import('../runtime/sandbox/product-isolate.ts')
  const tables = new Map([[FEATURE_TABLE, generateEnterpriseFeatures(request.rows, request.seed)]])
  const columns = featureColumns(tables.get(FEATURE_TABLE)!)
  const asOfDay = dayOf(request.asOf)
  const plain = () => {
    const tally = createTally()
    scoreColumns(columns, asOfDay, tally)
    return summarize(tally)
  }
  const isolate = new ProductIsolate(request.bundle, BATCH_LIMITS)
  const units = oneRowPerUnit(tables.get(FEATURE_TABLE)!)
  try {
    plain()
    // the classification alone: every enterprise in an execution of its own, in the isolate
    // each run's envelope, and how many units its results cover (every enterprise, once)
    const covered = (results: readonly string[]) => results.reduce((n, text) => n + (JSON.parse(text) as unknown[]).length, 0)
    const first = isolate.classify('{}', units, request.asOf)
    const envelopes = [first.envelope]
    const classified = [covered(first.results)]
    const times: number[] = []
    const plainTimes: number[] = []
    for (let i = 0; i < request.runs; i++) {
      let started = performance.now()
      plain()
      plainTimes.push(performance.now() - started)
      started = performance.now()
      const run = isolate.classify('{}', units, request.asOf)
      times.push(performance.now() - started)
      envelopes.push(run.envelope)
      classified.push(covered(run.results))
    }
    return { times, plainTimes, envelopes, classified }
  } finally {
    isolate.dispose()
  }
}

async function serveEntity(request: EntityProbeRequest): Promise<EntityProbeResult> {
  const { ProductIsolate } = await import('../runtime/sandbox/product-isolate.ts')
  const { DEFAULT_LIMITS } = await import('../runtime/sandbox/limits.ts')
  const fresh = new ProductIsolate(request.bundle, DEFAULT_LIMITS)
  const warm = new ProductIsolate(request.bundle, DEFAULT_LIMITS, { reuseInstance: true })
  const freshUs: number[] = []
  const warmUs: number[] = []
  const freshOutputs: string[] = []
  const warmOutputs: string[] = []
  try {
    const n = request.calls.length
    // warm-up of both
    for (let i = 0; i < Math.min(n, request.block); i++) {
      const { input, rows } = request.calls[i]!
      fresh.invoke(input, rows, request.asOf)
      warm.invoke(input, rows, request.asOf)
    }
    let freshTotalMs = 0
    let warmTotalMs = 0
    for (let round = 0; round < request.rounds; round++) {
      for (const [isolate, times, outputs] of [[fresh, freshUs, freshOutputs], [warm, warmUs, warmOutputs]] as const) {
        const blockStarted = performance.now()
        for (let j = 0; j < request.block; j++) {
          const { input, rows } = request.calls[(round * request.block + j) % n]!
          const started = performance.now()
          const envelope = isolate.invoke(input, rows, request.asOf)
          times.push((performance.now() - started) * 1000)
          if (round === 0) outputs.push(envelope)
        }
        if (isolate === fresh) freshTotalMs += performance.now() - blockStarted
        else warmTotalMs += performance.now() - blockStarted
      }
    }
    const calls = request.rounds * request.block
    return { freshUs, warmUs, freshOutputs, warmOutputs, freshCallsPerS: calls / (freshTotalMs / 1000), warmCallsPerS: calls / (warmTotalMs / 1000) }
  } finally {
    fresh.dispose()
    warm.dispose()
  }
}

if (process.send !== undefined && process.argv[1] === SELF) {
  process.once('message', (request: ProbeRequest | EntityProbeRequest) => {
    ;('kind' in request ? serveEntity(request) : serve(request)).then(
      (reply) => process.send!(reply),
      (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }),
    )
  })
}
