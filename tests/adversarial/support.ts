/**
 * Small shared helpers for the attack suite: a known-good product to prove the harness still
 * serves after an attack, typed-outcome assertions, and a full product source for attacks that
 * need top-level code or a custom schema.
 */
import { expect } from 'vitest'
import { RuntimeError } from '../../runtime/errors.ts'
import { SandboxError, type PartnerDiagnostics } from '../../runtime/sandbox/sandbox-error.ts'
import { apiProductSource, SAMPLE_INPUT, UNHURRIED_LIMITS, type Outcome, type SandboxHarness } from '../helpers/sandbox-harness.ts'

export const GOOD_BODY = 'return { value: ctx.rows("enterprise_basic")[0].status }'

/** The error codes a run or load may end with. */
export type SandboxCode =
  | 'ERR_SANDBOX_TIMEOUT'
  | 'ERR_SANDBOX_MEMORY'
  | 'ERR_SANDBOX_THREW'
  | 'ERR_SANDBOX_OUTPUT_TOO_LARGE'
  | 'ERR_SANDBOX_INVALID_OUTPUT'
  | 'ERR_SANDBOX_CRASHED'
  | 'ERR_PRODUCT_INVALID'

/** Loads the known-good product in `harness` and checks it still answers `{ value: '存续' }`. */
export async function expectStillServes(harness: SandboxHarness): Promise<void> {
  // the control is not about time: unhurried limits, so a loaded machine cannot time it out
  const good = await harness.load(apiProductSource(GOOD_BODY), UNHURRIED_LIMITS)
  const outcome = await harness.invoke(good, SAMPLE_INPUT)
  expect(outcome).toEqual({ ok: true, output: { value: '存续' }, logs: [] })
}

export type Failure = { readonly ok: false; readonly code: string; readonly error: unknown }

/** Asserts a failed run with exactly `code`, raised as a typed RuntimeError; returns it narrowed. */
export function expectFailure(outcome: Outcome, code: SandboxCode): Failure {
  expect(outcome.ok).toBe(false)
  if (outcome.ok) throw new Error('unreachable')
  expect(outcome.code).toBe(code)
  expect(outcome.error).toBeInstanceOf(RuntimeError)
  return outcome
}

/** Asserts a successful run and returns its output. */
export function expectOutput(outcome: Outcome): unknown {
  if (!outcome.ok) throw new Error(`expected a successful run, got ${outcome.code}`)
  return outcome.output
}

/** The partner diagnostics of a SandboxError (asserts that it is one). */
export function diagnosticsOf(failure: Failure): PartnerDiagnostics {
  expect(failure.error).toBeInstanceOf(SandboxError)
  return (failure.error as SandboxError).diagnostics
}

/** What a caller would see of the error. */
export function serialized(failure: Failure): string {
  return JSON.stringify(failure.error)
}

/** Runs a rejected promise to its typed error (for `harness.load`). */
export async function rejection(promise: Promise<unknown>): Promise<RuntimeError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(RuntimeError)
  return caught as RuntimeError
}

/**
 * A whole product source with `top` as top-level code and `run` as the body of `run(ctx, input)`.
 * `output` is the output schema expression (default `{ value: nullable string }`).
 */
export function fullProductSource(options: { top?: string; run?: string; output?: string; exportDefault?: string }): string {
  return apiProductSource(options.run ?? GOOD_BODY, {
    ...(options.top === undefined ? {} : { prelude: options.top }),
    ...(options.output === undefined ? {} : { output: options.output }),
    ...(options.exportDefault === undefined ? {} : { exportDefault: options.exportDefault }),
  })
}

/** Rows of one entity whose status is `status` (to tell consumers' data apart). */
export function rowsWithStatus(status: string) {
  return { enterprise_basic: { columns: ['name', 'status'], rows: [['六安恒信商贸有限公司', status]] } }
}
