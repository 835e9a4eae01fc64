/**
 * Load from outside the server under test: `wrk` in a process of its own where it is installed
 * (Debian's `wrk`), otherwise autocannon in a child process — never in the benchmark's own process,
 * whose CPU would then mix with the server's on a 2-core machine. While the load runs, the CPU
 * the server's process and its whole process tree (the sandbox workers) spend is read from /proc,
 * so that a call's cost is reported per call, not only as a rate.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type LoadRequest = {
  readonly url: string
  readonly method?: 'GET' | 'POST'
  readonly headers?: Readonly<Record<string, string>>
  /** Bodies sent in turn (one per request, round robin); none for a GET. */
  readonly bodies?: readonly string[]
}

export type LoadResult = {
  readonly tool: 'wrk' | 'autocannon'
  readonly connections: number
  readonly seconds: number
  readonly requests: number
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Answers that were not 2xx, and socket errors and timeouts. */
  readonly failures: number
  /** CPU µs per request of the server's own process, and of its whole tree (workers included). */
  readonly cpuUsPerCall: number
  readonly treeCpuUsPerCall: number
}

const TICK_US = 1_000_000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100)
const WRK = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim()
const AUTOCANNON_CHILD = fileURLToPath(new URL('./fixtures/load/autocannon-child.ts', import.meta.url))

/** The load tool this machine has. */
export const LOAD_TOOL: LoadResult['tool'] = WRK === '' ? 'autocannon' : 'wrk'

/** CPU time (µs) of one process, and of it with every descendant (live ones, and reaped ones via cutime). */
export function processCpuUs(pid: number): { self: number; tree: number } {
  const stat = (p: number): number[] | undefined => {
    try {
      const text = readFileSync(`/proc/${p}/stat`, 'utf8')
      // fields after the command name (which may contain spaces) start at the 3rd field
      return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number)
    } catch {
      return undefined
    }
  }
  const children = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) => readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter((c) => c !== '').map(Number))
    } catch {
      return []
    }
  }
  const own = stat(pid)
  if (own === undefined) return { self: 0, tree: 0 }
  // utime, stime are fields 14, 15; cutime, cstime 16, 17 (index 11..14 after the name)
  const self = (own[11]! + own[12]!) * TICK_US
  let tree = self + (own[13]! + own[14]!) * TICK_US
  const queue = children(pid)
  while (queue.length > 0) {
    const c = queue.pop()!
    const s = stat(c)
    if (s === undefined) continue
    tree += (s[11]! + s[12]! + s[13]! + s[14]!) * TICK_US
    queue.push(...children(c))
  }
  return { self, tree }
}

/** Loads `request` at `connections` for `seconds`, measuring the CPU of `serverPid` meanwhile. */
export async function loadFromOutside(request: LoadRequest, options: { readonly connections: number; readonly seconds: number; readonly serverPid: number; readonly workDir: string }): Promise<LoadResult> {
  const before = processCpuUs(options.serverPid)
  const raw = LOAD_TOOL === 'wrk' ? await runWrk(request, options) : await runAutocannon(request, options)
  const after = processCpuUs(options.serverPid)
  const requests = Math.max(1, raw.requests)
  return {
    tool: LOAD_TOOL,
    connections: options.connections,
    seconds: options.seconds,
    ...raw,
    cpuUsPerCall: (after.self - before.self) / requests,
    treeCpuUsPerCall: (after.tree - before.tree) / requests,
  }
}

type Raw = { requests: number; rps: number; p50Ms: number; p99Ms: number; failures: number }

function runProcess(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err.slice(-500)}`))))
  })
}

async function runWrk(request: LoadRequest, options: { connections: number; seconds: number; workDir: string }): Promise<Raw> {
  const script = join(options.workDir, `wrk-${process.pid}-${Date.now()}.lua`)
  const lua = (s: string) => JSON.stringify(s) // a JSON string is a valid Lua string for this text
  writeFileSync(
    script,
    [
      `wrk.method = ${lua(request.method ?? 'GET')}`,
      ...Object.entries(request.headers ?? {}).map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`),
      `local bodies = { ${(request.bodies ?? []).map(lua).join(', ')} }`,
      'local i = 0',
      'request = function()',
      '  if #bodies == 0 then return wrk.format(nil, nil, nil, nil) end',
      '  i = i % #bodies + 1',
      '  return wrk.format(nil, nil, nil, bodies[i])',
      'end',
      '',
    ].join('\n'),
  )
  const threads = Math.min(2, options.connections)
  const out = await runProcess(WRK, ['-t', String(threads), '-c', String(options.connections), '-d', `${options.seconds}s`, '--latency', '-s', script, request.url])
  const ms = (text: string | undefined): number => {
    const m = /([\d.]+)(us|ms|s)/.exec(text ?? '')
    if (m === null) return Number.NaN
    const v = Number(m[1])
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
  }
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((a, b) => a + Number(b), 0)
  return {
    requests,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50Ms: ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1]),
    p99Ms: ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1]),
    failures: non2xx + socketErrors,
  }
}

async function runAutocannon(request: LoadRequest, options: { connections: number; seconds: number }): Promise<Raw> {
  const out = await runProcess(process.execPath, [AUTOCANNON_CHILD, JSON.stringify({ ...request, connections: options.connections, seconds: options.seconds })])
  return JSON.parse(out) as Raw
}
