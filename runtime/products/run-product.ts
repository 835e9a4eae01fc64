/**
 * Loading and running a product: the manifest is read from inside the sandbox and validated
 * here; inputs are checked against the product's input schema before a run, outputs against its
 * output schema after it. This module knows the envelope protocol of the isolate prelude.
 */
import { RuntimeError } from '../errors.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import { SandboxError, trimHostPaths } from '../sandbox/sandbox-error.ts'
import type { ProductBundle } from '../sandbox/bundle-product.ts'
import { BATCH_LIMITS, type SandboxLimits } from '../sandbox/limits.ts'
import type { UnitTables } from '../sandbox/wire.ts'
import { manifestSchema, type ProductManifest } from './manifest.ts'
import type { EntityWire } from '../entity/entity-wire.ts'
import { checkValue } from './check-value.ts'

export type LoadedProduct = {
  /** Also the product's key in the sandbox pool. */
  readonly codeHash: string
  readonly manifest: ProductManifest
}

export type RunResult = {
  readonly output: unknown
  /** The product's log lines, for the audit stream only. */
  readonly logs: readonly string[]
}

/** Entity rows as the prelude expects them: per table, column names and row values. */
export type EntityRows = Readonly<Record<string, { readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] }>>

/** Bounds the host applies again to whatever the isolate reports (the prelude can be poisoned). */
const MAX_LOG_LINES = 64
const MAX_LOG_CHARS = 500
const MAX_MESSAGE = 2000
const MAX_STACK = 4000
const PRODUCT_CODE = /^[A-Z][A-Z0-9_]{0,39}$/
const MAX_MANIFEST_DEPTH = 32
const ERRORS = new Set(['THREW', 'DENIED', 'ASYNC_RESULT', 'INVALID_OUTPUT', 'OUTPUT_TOO_LARGE', 'NO_PRODUCT', 'PRELUDE_FAILED', 'MEMORY'])

type Envelope =
  | { readonly ok: true; readonly output?: unknown; readonly manifest?: unknown; readonly logs: readonly string[] }
  | { readonly ok: false; readonly error: string; readonly code?: string; readonly message?: string; readonly stack?: string; readonly logs: readonly string[] }

function bounded(value: unknown, max: number): string | undefined {
  return typeof value === 'string' ? trimHostPaths(value.length > max ? value.slice(0, max) : value) : undefined
}

/** Reads an envelope as untrusted data: known shapes only, every string bounded again. */
function parseEnvelope(text: string): Envelope {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(text) as Record<string, unknown>
  } catch {
    value = {}
  }
  if (value === null || typeof value !== 'object' || typeof value.ok !== 'boolean') {
    throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'The sandbox returned an unreadable result', { logs: [] })
  }
  const logs = Array.isArray(value.logs)
    ? value.logs.slice(0, MAX_LOG_LINES).map((l) => bounded(l, MAX_LOG_CHARS) ?? '')
    : []
  if (value.ok === true) return { ok: true, output: value.output, manifest: value.manifest, logs }
  const error = typeof value.error === 'string' && ERRORS.has(value.error) ? value.error : 'INVALID_OUTPUT'
  const code = typeof value.code === 'string' && PRODUCT_CODE.test(value.code) ? value.code : undefined
  const message = bounded(value.message, MAX_MESSAGE)
  const stack = bounded(value.stack, MAX_STACK)
  return { ok: false, error, logs, ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }), ...(stack === undefined ? {} : { stack }) }
}

/** Depth of a JSON value, iteratively (a deep manifest must not overflow the host's stack). */
function depthOf(value: unknown): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (d > deepest) deepest = d
    if (d > MAX_MANIFEST_DEPTH) return d
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1])
  }
  return deepest
}

export async function loadProduct(pool: SandboxPool, bundle: ProductBundle, limits?: SandboxLimits): Promise<LoadedProduct> {
  pool.register(bundle.codeHash, bundle.code, limits)
  const envelope = parseEnvelope(await pool.manifest(bundle.codeHash))
  if (!envelope.ok || envelope.manifest === undefined) {
    const e = envelope as { message?: string; stack?: string }
    throw new SandboxError('ERR_PRODUCT_INVALID', 'The bundle does not define a product', {
      ...(e.message === undefined ? {} : { message: e.message }),
      ...(e.stack === undefined ? {} : { stack: e.stack }),
      logs: [],
    })
  }
  if (depthOf(envelope.manifest) > MAX_MANIFEST_DEPTH) {
    throw new RuntimeError('ERR_PRODUCT_INVALID', 'The product definition is nested too deeply', { details: { issues: [`deeper than ${MAX_MANIFEST_DEPTH} levels`] } })
  }
  const parsed = manifestSchema.safeParse(envelope.manifest)
  if (!parsed.success) {
    throw new RuntimeError('ERR_PRODUCT_INVALID', 'The product definition is invalid', {
      details: { issues: parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.')}: ${i.message}`) },
    })
  }
  return { codeHash: bundle.codeHash, manifest: parsed.data }
}

/**
 * Loads a product and leaves it registered under the limits its kind runs with: batch runs read
 * whole tables, so datasets and reports get the batch limits. Whoever loads a product that may be
 * served loads it this way, so that no load puts a served batch product back under the API limits.
 */
export async function loadProductForRuns(pool: SandboxPool, bundle: ProductBundle): Promise<LoadedProduct> {
  const product = await loadProduct(pool, bundle)
  if (product.manifest.kind !== 'api') pool.register(product.codeHash, bundle.code, BATCH_LIMITS)
  return product
}

/** Checks an input against the product's input schema (before any data is looked up); returns its JSON. */
export function checkInput(product: LoadedProduct, input: unknown): string {
  const problems = checkValue(product.manifest.input, input)
  if (problems.length > 0) throw new RuntimeError('ERR_PARAMS_INVALID', 'The input does not match the product\'s input schema', { details: { problems: problems.slice(0, 20).map((p) => `input:${p}`) } })
  return JSON.stringify(input)
}

function finish(product: LoadedProduct, text: string): RunResult {
  const envelope = parseEnvelope(text)
  if (envelope.ok) {
    if (!('output' in envelope) || envelope.output === undefined) {
      throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'The sandbox returned no output', { logs: envelope.logs })
    }
    const problems = checkValue(product.manifest.output, envelope.output)
    if (problems.length > 0) {
      // the problems name the output's keys, which the product chose: audit stream only
      throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'The output does not match the product\'s output schema', {
        message: problems.slice(0, 20).join('; ').slice(0, MAX_MESSAGE),
        logs: envelope.logs,
      })
    }
    return { output: envelope.output, logs: envelope.logs }
  }
  throwFailure(envelope)
}

/** The typed error of a failure envelope (what the isolate did, never partner text). */
function throwFailure(envelope: Extract<Envelope, { ok: false }>): never {
  const diagnostics = {
    ...(envelope.message === undefined ? {} : { message: envelope.message }),
    ...(envelope.stack === undefined ? {} : { stack: envelope.stack }),
    logs: envelope.logs,
  }
  switch (envelope.error) {
    case 'THREW':
    case 'PRELUDE_FAILED':
      throw new SandboxError('ERR_SANDBOX_THREW', 'The product failed', diagnostics, envelope.code === undefined ? undefined : { productCode: envelope.code })
    case 'DENIED':
      throw new SandboxError('ERR_VIEW_COLUMN_DENIED', 'The product asked for a table or field outside its approved scenario', diagnostics)
    case 'OUTPUT_TOO_LARGE':
      throw new SandboxError('ERR_SANDBOX_OUTPUT_TOO_LARGE', 'The product output is too large', diagnostics)
    case 'MEMORY':
      throw new SandboxError('ERR_SANDBOX_MEMORY', 'The product exceeded its memory limit', diagnostics)
    default:
      throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'The product output is not a plain, synchronous JSON value', diagnostics)
  }
}

/** One entity: rows found by key on the host, one call in a context of its own. */
export async function invokeProduct(
  pool: SandboxPool,
  product: LoadedProduct,
  input: unknown,
  rows: EntityWire,
  asOf: string,
): Promise<RunResult> {
  if (product.manifest.kind !== 'api') throw new RuntimeError('ERR_PARAMS_INVALID', 'This product is not called per entity')
  return invokeCheckedInput(pool, product, checkInput(product, input), rows, asOf)
}

/** invokeProduct for an input that already passed checkInput, which returned `inputJson`. */
export async function invokeCheckedInput(
  pool: SandboxPool,
  product: LoadedProduct,
  inputJson: string,
  rows: EntityWire,
  asOf: string,
): Promise<RunResult> {
  // the key a product is called with may be seen, never returned: the release gate checks that
  // (KEY_IN_OUTPUT), so that the refusal is recorded and audited like every other
  return finish(product, await pool.invoke(product.codeHash, inputJson, JSON.stringify(rows), asOf))
}

/**
 * Batch, first half: `classify` over every unit of `units`, each in an execution of its own.
 * Returns each chunk's results as the product gave them (unit-contributions.ts reads them) and the
 * product's log lines.
 */
export async function classifyUnits(
  pool: SandboxPool,
  product: LoadedProduct,
  inputJson: string,
  units: UnitTables,
  asOf: string,
  /** Names the version of `units`; the worker keeps it resident for later runs over the same data. */
  dataKey?: string,
): Promise<{ readonly results: readonly string[]; readonly logs: readonly string[] }> {
  const reply = await pool.classify(product.codeHash, inputJson, units, asOf, dataKey)
  const envelope = parseEnvelope(reply.envelope)
  if (!envelope.ok) throwFailure(envelope)
  return { results: reply.results ?? [], logs: envelope.logs }
}

/** Batch, second half: `run` over the released results (JSON), its output checked against the schema. */
export async function finishBatch(pool: SandboxPool, product: LoadedProduct, inputJson: string, releasedJson: string, asOf: string): Promise<RunResult> {
  return finish(product, await pool.finish(product.codeHash, inputJson, releasedJson, asOf))
}
