/**
 * The operational record of requests, without a line of JSON per request on the hot path: each
 * request is logged at debug level only (when the log level lets debug through), and at info level
 * the server writes one summary a minute — requests by route and status class, and latency
 * quantiles from a histogram. Failures the server causes (5xx) are still logged one by one, at
 * error level, by the error handler. The audit trail remains the record of calls.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'

const DEBUG_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace'])

/** Upper bounds (ms) of the latency histogram's buckets; the last one is open. */
const BOUNDS_MS = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500, 1000, 2500, 5000, 10_000, Infinity] as const

export type RequestSummary = {
  readonly requests: number
  /** Per route (its pattern, not the URL) and status class: `POST /v1/products/:id/invoke 2xx`. */
  readonly byRoute: Record<string, number>
  /** Upper bounds of the histogram buckets holding the 50th and 99th percentile latencies (ms). */
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

export type RequestSummaries = {
  /** The summary since the last one (and starts the next), or undefined when there were no requests. */
  take(): RequestSummary | undefined
}

/** Counts requests on `app`, logs each at debug level, and writes a summary every `everyMs` at info level. */
export function summarizeRequests(app: FastifyInstance, options: { readonly everyMs?: number } = {}): RequestSummaries {
  let counts = new Uint32Array(BOUNDS_MS.length)
  let byRoute = new Map<string, number>()
  let requests = 0
  let maxMs = 0

  app.addHook('onResponse', async (request, reply) => {
    const ms = reply.elapsedTime
    requests++
    if (ms > maxMs) maxMs = ms
    let b = 0
    while (ms > BOUNDS_MS[b]!) b++
    counts[b]!++
    const key = `${request.method} ${request.routeOptions.url ?? '(no route)'} ${Math.floor(reply.statusCode / 100)}xx`
    byRoute.set(key, (byRoute.get(key) ?? 0) + 1)
    if (DEBUG_LEVELS.has(request.log.level)) request.log.debug({ method: request.method, route: request.routeOptions.url, status: reply.statusCode, ms }, 'request completed')
  })

  const quantile = (q: number): number => {
    const wanted = Math.ceil(q * requests)
    let seen = 0
    for (let b = 0; b < counts.length; b++) {
      seen += counts[b]!
      if (seen >= wanted) return BOUNDS_MS[b]!
    }
    return Infinity
  }

  const take = (): RequestSummary | undefined => {
    if (requests === 0) return undefined
    const summary = { requests, byRoute: Object.fromEntries([...byRoute].sort(([a], [b]) => (a < b ? -1 : 1))), p50Ms: quantile(0.5), p99Ms: quantile(0.99), maxMs: Math.round(maxMs * 10) / 10 }
    counts = new Uint32Array(BOUNDS_MS.length)
    byRoute = new Map()
    requests = 0
    maxMs = 0
    return summary
  }

  const log = (logger: FastifyBaseLogger) => {
    const summary = take()
    if (summary !== undefined) logger.info({ summary }, 'requests served')
  }
  const timer = setInterval(() => log(app.log), options.everyMs ?? 60_000)
  timer.unref()
  app.addHook('onClose', async () => {
    clearInterval(timer)
    log(app.log)
  })
  return { take }
}
