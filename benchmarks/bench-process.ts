/**
 * Runs the benchmarks of one `<area>.bench.ts` in a fresh child process, so that what one area
 * leaves behind — a heap grown by a million-person build, JIT and GC state, open handles — does
 * not weigh on the next area's figures. The benchmarks of one file share their process (and so
 * their shared measurements); it starts on first use and ends after the last selected one.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { basename } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Benchmark, BenchmarkMeasurement } from './harness.ts'

type Request = { readonly run: string }
type Reply =
  | { readonly id: string; readonly measurement: BenchmarkMeasurement }
  | { readonly id: string; readonly error: { readonly message: string; readonly stack?: string } }

const SELF = fileURLToPath(import.meta.url)

/** Stand-ins for `benchmarks` (all declared in `file`, in run order) whose `run` happens in the child. */
export function inChildProcess(file: string, benchmarks: readonly Benchmark[]): Benchmark[] {
  let child: ChildProcess | undefined
  let pending: { resolve: (m: BenchmarkMeasurement) => void; reject: (e: Error) => void } | undefined

  const start = (): ChildProcess => {
    const c = fork(SELF, [file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: process.execArgv })
    c.on('message', (reply: Reply) => {
      const p = pending
      pending = undefined
      if (p === undefined) return
      if ('error' in reply) p.reject(Object.assign(new Error(reply.error.message), { stack: reply.error.stack }))
      else p.resolve(reply.measurement)
    })
    c.once('exit', (code, signal) => {
      if (child === c) child = undefined
      const p = pending
      pending = undefined
      p?.reject(new Error(`the benchmark process of ${basename(file)} ended (${signal ?? `exit ${code}`})`))
    })
    return c
  }

  const last = benchmarks.at(-1)?.id
  return benchmarks.map((b) => ({
    id: b.id,
    title: b.title,
    async run() {
      const c = (child ??= start())
      try {
        return await new Promise<BenchmarkMeasurement>((resolve, reject) => {
          pending = { resolve, reject }
          c.send({ run: b.id } satisfies Request)
        })
      } finally {
        // the child exits when the channel closes
        if (b.id === last && child === c) {
          child = undefined
          c.disconnect()
        }
      }
    },
  }))
}

async function serve(file: string): Promise<void> {
  const module = (await import(pathToFileURL(file).href)) as { benchmarks: readonly Benchmark[] }
  process.on('message', (request: Request) => {
    const b = module.benchmarks.find((x) => x.id === request.run)
    const run = b === undefined ? Promise.reject(new Error(`${basename(file)} has no benchmark ${request.run}`)) : b.run()
    run.then(
      (measurement) => process.send!({ id: request.run, measurement } satisfies Reply),
      (error: unknown) =>
        process.send!({
          id: request.run,
          error: error instanceof Error ? { message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) } : { message: String(error) },
        } satisfies Reply),
    )
  })
  process.once('disconnect', () => process.exit(0))
}

if (process.send !== undefined && process.argv[1] === SELF && process.argv[2] !== undefined) await serve(process.argv[2])
