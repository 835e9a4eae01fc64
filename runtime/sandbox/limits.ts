/** Limits of one product run. Every one is enforced, and a run that hits one ends with a typed error. */
export type SandboxLimits = {
  /** isolated-vm heap limit (a guideline: an attacker reaches 2–3×, hence the worker cap below). */
  readonly memoryMb: number
  /** CPU time of one call inside the isolate (isolated-vm timeout). */
  readonly cpuMs: number
  /** Wall-clock deadline of one call, enforced by the supervisor, which kills the worker. */
  readonly wallMs: number
  /** Largest serialized output, in characters. */
  readonly maxOutputChars: number
  /**
   * Resident memory of a whole worker process; above it the worker is killed. The watchdog's cap
   * for a call is lower still: the worker's size before the call plus three times `memoryMb`.
   */
  readonly workerRssMb: number
}

export const DEFAULT_LIMITS: SandboxLimits = Object.freeze({
  memoryMb: 64,
  cpuMs: 1000,
  wallMs: 2500,
  maxOutputChars: 256 * 1024,
  workerRssMb: 1024,
})

/** Batch runs get more of everything but the output bound. */
export const BATCH_LIMITS: SandboxLimits = Object.freeze({
  memoryMb: 256,
  cpuMs: 120_000,
  wallMs: 180_000,
  maxOutputChars: 16 * 1024 * 1024,
  workerRssMb: 2048,
})
