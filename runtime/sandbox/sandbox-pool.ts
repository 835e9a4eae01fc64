/**
 * The supervisor of sandbox worker processes, living in the serving process (which never runs
 * partner code). Calls for one product version always go to the same worker, so its isolate and
 * compiled code stay warm (each call still runs in a fresh context); calls that arrive in the
 * same tick travel in one message, and each is answered as soon as it ends.
 *
 * Every call ends in an envelope or a typed error:
 * - past the wall-clock deadline the worker is killed (SIGKILL): ERR_SANDBOX_TIMEOUT;
 * - above the resident-memory cap the worker is killed: ERR_SANDBOX_MEMORY;
 * - a worker that dies by itself (V8 fatal error): ERR_SANDBOX_CRASHED;
 * the call running when a worker is killed carries the blame; the others caught in it (waiting
 * behind it) fail with ERR_SANDBOX_CRASHED and may be retried.
 * A killed worker is replaced on the next call; the pool keeps serving.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { getCompileCacheDir } from 'node:module'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts'
import type { UnitTables } from './wire.ts'
import type { WorkerReply, WorkerRequest } from './worker-main.ts'

// the runtime's own modules (never partner code, which runs in isolates) start from the compile
// cache when this process uses one: a worker is ready sooner
const cacheDir = getCompileCacheDir?.()
const COMPILE_CACHE: Record<string, string> = cacheDir === undefined ? {} : { NODE_COMPILE_CACHE: cacheDir }

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.ts', import.meta.url))
const PAGE_SIZE = 4096
/** How often a busy worker's resident memory is read. */
const WATCHDOG_MS = 10

export type SandboxPoolOptions = {
  /** Worker processes (default 2: one per core here). */
  readonly workers?: number
  /** Called when a worker is killed or dies, for the audit stream. */
  readonly onWorkerEvent?: (event: { readonly kind: 'killed' | 'died'; readonly reason: string; readonly pid: number | undefined }) => void
}

/** What a call ends with: the envelope, and for `classify` each chunk's results. */
export type SandboxReply = { readonly envelope: string; readonly results?: readonly string[] }

type Pending = {
  readonly request: WorkerRequest
  /** A classification's unit data, kept here so that it can be sent again if the worker dropped it. */
  readonly units?: UnitTables
  readonly resolve: (reply: SandboxReply) => void
  readonly reject: (error: RuntimeError) => void
}

type Worker = {
  readonly index: number
  child: ChildProcess | undefined
  ready: Promise<void> | undefined
  /** Product keys loaded into the current child. */
  loaded: Set<string>
  /** Batch data versions sent to the current child. */
  dataSent: Set<string>
  queue: Pending[]
  inFlight: Map<number, Pending>
  deadline: NodeJS.Timeout | undefined
  watchdog: NodeJS.Timeout | undefined
  /** The worker's resident bytes when its message left (the memory cap's base while it runs). */
  rssStart: number
  flushScheduled: boolean
}

type Registered = { readonly bundle: string; readonly limits: SandboxLimits }

const FAILURE_CODES: Readonly<Record<string, RuntimeErrorCode>> = {
  TIMEOUT: 'ERR_SANDBOX_TIMEOUT',
  MEMORY: 'ERR_SANDBOX_MEMORY',
  CRASHED: 'ERR_SANDBOX_CRASHED',
  OUTPUT_TOO_LARGE: 'ERR_SANDBOX_OUTPUT_TOO_LARGE',
  INVALID_OUTPUT: 'ERR_SANDBOX_INVALID_OUTPUT',
  PARTNER_FAULT: 'ERR_SANDBOX_THREW',
}

export type SandboxPool = {
  /** Makes a bundle callable; `key` is its code hash. Idempotent. */
  register(key: string, bundle: string, limits?: SandboxLimits): void
  manifest(key: string): Promise<string>
  invoke(key: string, input: string, rows: string, asOf: string): Promise<string>
  /**
   * `classify` of a batch product over every unit. `dataKey` names the data's version: the worker
   * keeps it resident, and later runs over it skip the transfer.
   */
  classify(key: string, input: string, units: UnitTables, asOf: string, dataKey?: string): Promise<SandboxReply>
  /** `run` of a batch product over its released results (JSON). */
  finish(key: string, input: string, released: string, asOf: string): Promise<string>
  /** Worker restarts since the pool started. */
  readonly restarts: number
  /** Process ids of the running workers (operations and tests). */
  pids(): number[]
  close(): Promise<void>
}

export function createSandboxPool(options: SandboxPoolOptions = {}): SandboxPool {
  const registered = new Map<string, Registered>()
  const workers: Worker[] = Array.from({ length: Math.max(1, options.workers ?? 2) }, (_, index) => ({
    index,
    child: undefined,
    ready: undefined,
    loaded: new Set(),
    dataSent: new Set(),
    queue: [],
    inFlight: new Map(),
    deadline: undefined,
    watchdog: undefined,
    rssStart: 0,
    flushScheduled: false,
  }))
  let nextId = 1
  let restarts = 0
  let closed = false

  const workerFor = (key: string): Worker => {
    let h = 0
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0
    return workers[Math.abs(h) % workers.length]!
  }

  const start = (w: Worker): Promise<void> => {
    if (w.ready !== undefined) return w.ready
    const child = fork(WORKER_ENTRY, [], {
      execArgv: ['--no-node-snapshot', '--disallow-code-generation-from-strings'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // an allowlist, not the parent's environment: a worker holds no secrets
      env: { NODE_ENV: 'production', TZ: 'UTC', ...COMPILE_CACHE },
    })
    child.stderr?.resume()
    w.child = child
    w.loaded = new Set()
    w.dataSent = new Set()
    w.ready = new Promise<void>((resolve, reject) => {
      const onReady = (message: { ready?: boolean }) => {
        if (message.ready === true) {
          child.off('message', onReady)
          resolve()
        }
      }
      child.on('message', onReady)
      child.once('exit', () => reject(new RuntimeError('ERR_SANDBOX_CRASHED', 'The sandbox worker failed to start')))
    })
    w.ready.catch(() => undefined)
    child.on('message', (message: { replies?: WorkerReply[] }) => {
      if (message.replies === undefined) return
      for (const reply of message.replies) {
        const pending = w.inFlight.get(reply.id)
        if (pending === undefined) continue
        w.inFlight.delete(reply.id)
        if (reply.ok) pending.resolve(reply.results === undefined ? { envelope: reply.envelope } : { envelope: reply.envelope, results: reply.results })
        else if (reply.failure === 'DATA_MISSING' && pending.request.op === 'classify' && pending.units !== undefined) {
          // the worker let that data version go: send it again
          w.dataSent.delete(pending.request.dataKey!)
          w.queue.push(pending)
        } else pending.reject(new RuntimeError(FAILURE_CODES[reply.failure] ?? 'ERR_SANDBOX_CRASHED', 'The product run failed in the sandbox'))
      }
      // each call is answered as it ends: the deadline starts again for the call now running
      disarm(w)
      if (w.inFlight.size > 0) arm(w, [...w.inFlight.values()], w.rssStart)
      else if (w.queue.length > 0) schedule(w)
    })
    child.once('exit', (code, signal) => {
      if (w.child !== child) return
      w.child = undefined
      w.ready = undefined
      disarm(w)
      if (w.inFlight.size > 0) {
        options.onWorkerEvent?.({ kind: 'died', reason: signal ?? `exit ${code}`, pid: child.pid })
        failAll(w, 'ERR_SANDBOX_CRASHED')
      }
      if (w.queue.length > 0 && !closed) schedule(w)
    })
    return w.ready
  }

  const failAll = (w: Worker, code: RuntimeErrorCode, culprit?: number): void => {
    for (const [id, pending] of w.inFlight) {
      pending.reject(new RuntimeError(id === culprit || culprit === undefined ? code : 'ERR_SANDBOX_CRASHED', 'The product run failed in the sandbox'))
    }
    w.inFlight.clear()
  }

  const kill = (w: Worker, code: RuntimeErrorCode, reason: string): void => {
    const child = w.child
    if (child === undefined) return
    restarts++
    options.onWorkerEvent?.({ kind: 'killed', reason, pid: child.pid })
    w.child = undefined
    w.ready = undefined
    disarm(w)
    // the first call still running is the one that overran; the rest were waiting behind it
    const first = w.inFlight.keys().next().value
    failAll(w, code, first)
    child.kill('SIGKILL')
    if (w.queue.length > 0 && !closed) schedule(w)
  }

  /** Resident bytes of a worker process, or undefined when it is gone. */
  const residentOf = (pid: number | undefined): number | undefined => {
    if (pid === undefined) return undefined
    try {
      return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE
    } catch {
      return undefined
    }
  }

  /**
   * The deadline and the resident-memory watchdog of one message. The memory cap is the worker's
   * size when the message left plus three times the largest isolate limit among its calls
   * (isolated-vm's own guideline for what an attacker reaches), never above `workerRssMb`: a
   * memory bomb is stopped near that bound within one watchdog period, as ERR_SANDBOX_MEMORY. A
   * deadline reached while the worker holds more than one isolate limit above that start is
   * memory too (V8 collecting near its heap limit rather than the product computing).
   */
  const arm = (w: Worker, calls: Pending[], rssStart?: number): void => {
    const limits = calls.map((c) => registered.get(c.request.key)?.limits ?? DEFAULT_LIMITS)
    const wall = Math.max(...limits.map((l) => l.wallMs)) + 25 * (calls.length - 1)
    const pid = w.child?.pid
    // read once per message; the calls answered one by one keep the base it left with
    const start = rssStart ?? residentOf(pid) ?? 0
    w.rssStart = start
    const isolateBytes = Math.max(...limits.map((l) => l.memoryMb)) * 2 ** 20
    const rssCap = Math.min(Math.max(...limits.map((l) => l.workerRssMb)) * 2 ** 20, start + 3 * isolateBytes)
    w.deadline = setTimeout(() => {
      const resident = residentOf(pid) ?? 0
      kill(w, resident > start + isolateBytes ? 'ERR_SANDBOX_MEMORY' : 'ERR_SANDBOX_TIMEOUT', 'wall-clock deadline')
    }, wall)
    w.watchdog = setInterval(() => {
      const resident = residentOf(pid)
      if (resident !== undefined && resident > rssCap) kill(w, 'ERR_SANDBOX_MEMORY', 'resident memory cap')
    }, WATCHDOG_MS)
  }

  const disarm = (w: Worker): void => {
    if (w.deadline !== undefined) clearTimeout(w.deadline)
    if (w.watchdog !== undefined) clearInterval(w.watchdog)
    w.deadline = undefined
    w.watchdog = undefined
  }

  const schedule = (w: Worker): void => {
    if (w.flushScheduled) return
    w.flushScheduled = true
    // after the current tick's synchronous work and microtasks: calls made together travel together
    queueMicrotask(() => {
      w.flushScheduled = false
      void flush(w)
    })
  }

  const flush = async (w: Worker): Promise<void> => {
    if (closed || w.inFlight.size > 0 || w.queue.length === 0) return
    try {
      await start(w)
    } catch (error) {
      const queued = w.queue.splice(0)
      for (const p of queued) p.reject(error as RuntimeError)
      return
    }
    if (w.inFlight.size > 0 || w.child === undefined) return
    const calls = w.queue.splice(0)
    const messages: WorkerRequest[] = []
    for (const call of calls) {
      const key = call.request.key
      if (!w.loaded.has(key)) {
        const r = registered.get(key)!
        messages.push({ op: 'load', id: 0, key, bundle: r.bundle, limits: r.limits })
        w.loaded.add(key)
      }
      let request = call.request
      if (request.op === 'classify' && call.units !== undefined) {
        // resident data: send the columns only when this child does not hold this version yet
        const holds = request.dataKey !== undefined && w.dataSent.has(request.dataKey)
        const { units: _, ...rest } = request
        request = holds ? rest : { ...rest, units: call.units }
        if (request.dataKey !== undefined) w.dataSent.add(request.dataKey)
      }
      messages.push(request)
      w.inFlight.set(call.request.id, call)
    }
    arm(w, calls)
    w.child.send({ calls: messages })
  }

  const enqueue = (request: WorkerRequest, units?: UnitTables): Promise<SandboxReply> => {
    if (closed) return Promise.reject(new RuntimeError('ERR_SANDBOX_CRASHED', 'The sandbox pool is closed'))
    if (!registered.has(request.key)) return Promise.reject(new RuntimeError('ERR_PRODUCT_NOT_FOUND', 'No such product version'))
    const w = workerFor(request.key)
    return new Promise<SandboxReply>((resolve, reject) => {
      w.queue.push({ request, resolve, reject, ...(units === undefined ? {} : { units }) })
      schedule(w)
    })
  }
  const envelopeOf = async (reply: Promise<SandboxReply>): Promise<string> => (await reply).envelope

  return {
    register(key, bundle, limits = DEFAULT_LIMITS) {
      const existing = registered.get(key)
      if (existing !== undefined && existing.bundle === bundle && existing.limits === limits) return
      registered.set(key, { bundle, limits })
      for (const w of workers) w.loaded.delete(key)
    },
    manifest: (key) => envelopeOf(enqueue({ op: 'manifest', id: nextId++, key })),
    invoke: (key, input, rows, asOf) => envelopeOf(enqueue({ op: 'invoke', id: nextId++, key, input, rows, asOf })),
    classify: (key, input, units, asOf, dataKey) => enqueue({ op: 'classify', id: nextId++, key, input, asOf, ...(dataKey === undefined ? {} : { dataKey }) }, units),
    finish: (key, input, released, asOf) => envelopeOf(enqueue({ op: 'finish', id: nextId++, key, input, released, asOf })),
    get restarts() {
      return restarts
    },
    pids: () => workers.flatMap((w) => (w.child?.pid === undefined ? [] : [w.child.pid])),
    async close() {
      closed = true
      await Promise.all(
        workers.map(async (w) => {
          disarm(w)
          failAll(w, 'ERR_SANDBOX_CRASHED')
          for (const p of w.queue.splice(0)) p.reject(new RuntimeError('ERR_SANDBOX_CRASHED', 'The sandbox pool is closed'))
          const child = w.child
          w.child = undefined
          if (child !== undefined && child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve))
            child.kill('SIGKILL')
            await exited
          }
        }),
      )
    },
  }
}
