/**
 * A server process's life, the same for `indomain serve` and `indomain start`: listen, say so,
 * stop on SIGINT/SIGTERM within a bound (calls in flight get the drain deadline, then the process
 * ends whatever still hangs), and load every published product and its index — `ready` (and
 * GET /v1/ready) only after that, so that no first call waits for it.
 */
import type { RuntimeConfig } from '../config.ts'
import type { ServerRuntime } from '../server/server-runtime.ts'

export async function serveUntilStopped(runtime: ServerRuntime, config: RuntimeConfig, port: number, onListening?: () => void): Promise<void> {
  await runtime.app.listen({ host: config.host, port })
  process.stderr.write(`indomain serving on http://${config.host}:${port} (JWKS at /.well-known/jwks.json)\n`)
  onListening?.()
  const stop = async () => {
    setTimeout(() => process.exit(1), config.shutdownDrainMs + 2500).unref()
    await runtime.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  const { failed } = await runtime.warm()
  process.stderr.write(`indomain ready${failed.length === 0 ? '' : ` (not loaded: ${failed.join(', ')})`}\n`)
}
