/**
 * Lanes of sandbox workers: one-entity calls (and loading the published products that answer
 * them) run in the `calls` lane; batch work — classifying a dataset's units, a report's `run` —
 * in the `batch` lane. A batch run that keeps its worker busy for seconds never holds up a bank's
 * call. (Partners' unreviewed uploads get a lane of their own too: the server hands product
 * development the batch lane's pool, never the calls lane.) Both lanes are SandboxPools; this is
 * one, routing each call to its lane.
 */
import type { SandboxPool } from './sandbox-pool.ts'

export function sandboxLanes(lanes: { readonly calls: SandboxPool; readonly batch: SandboxPool }): SandboxPool {
  const { calls, batch } = lanes
  return {
    register(key, bundle, limits) {
      calls.register(key, bundle, limits)
      batch.register(key, bundle, limits)
    },
    manifest: (key) => calls.manifest(key),
    invoke: (key, input, rows, asOf) => calls.invoke(key, input, rows, asOf),
    classify: (key, input, units, asOf, dataKey) => batch.classify(key, input, units, asOf, dataKey),
    finish: (key, input, released, asOf) => batch.finish(key, input, released, asOf),
    get restarts() {
      return calls.restarts + batch.restarts
    },
    pids: () => [...calls.pids(), ...batch.pids()],
    async close() {
      await Promise.all([calls.close(), batch.close()])
    },
  }
}
