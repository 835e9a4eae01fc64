/**
 * Loading and running a product: the manifest is read from inside the sandbox and validated
 * here; inputs are checked against the product's input schema before a run, outputs against its
 * output schema after it. This module knows the envelope protocol of the isolate prelude.
 */
import { RuntimeError } from '../errors.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import { SandboxError, trimHostPaths } from '../sandbox/sandbox-error.ts'
import type { ProductBundle } from '../sandbox/bundle-product.ts'
import type { SandboxLimits } from '../sandbox/limits.ts'
import type { WireTable } from '../sandbox/wire.ts'
import { manifestSchema, type ProductManifest } from './manifest.ts'
import { checkValue } from './check-value.ts'

export type LoadedProduct = {
  readonly key: string
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

type Envelope =
  | { ok: true; output: unknown; logs: string[] }
  | { ok: false; error: string; code?: string; message?: string; stack?: string; logs?: string[]; manifest?: unknown }
  | { ok: true; manifest: unknown }

function parseEnvelope(text: string): Envelope {
  try {
    const value = JSON.parse(text) as Envelope
    if (value === null || typeof value !== 'object' || typeof value.ok !== 'boolean') throw new Error('shape')
    return value
  } catch {
    throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'The sandbox returned an unreadable result', { logs: [] })
  }
}

export async function loadProduct(pool: SandboxPool, bundle: ProductBundle, limits?: SandboxLimits): Promise<LoadedProduct> {
  pool.register(bundle.codeHash, bundle.code, limits)
  const envelope = parseEnvelope(await pool.manifest(bundle.codeHash))
  if (!envelope.ok || !('manifest' in envelope)) {
    const e = envelope as { message?: string; stack?: string }
    throw new SandboxError('ERR_PRODUCT_INVALID', 'The bundle does not define a product', {
      ...(e.message === undefined ? {} : { message: trimHostPaths(e.message) }),
      ...(e.stack === undefined ? {} : { stack: trimHostPaths(e.stack) }),
      logs: [],
    })
  }
  const parsed = manifestSchema.safeParse(envelope.manifest)
  if (!parsed.success) {
    throw new RuntimeError('ERR_PRODUCT_INVALID', 'The product definition is invalid', {
      details: { issues: parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.')}: ${i.message}`) },
    })
  }
  return { key: bundle.codeHash, codeHash: bundle.codeHash, manifest: parsed.data }
}

function checkInput(product: LoadedProduct, input: unknown): string {
  const problems = checkValue(product.manifest.input, input)
  if (problems.length > 0) throw new RuntimeError('ERR_PARAMS_INVALID', 'The input does not match the product\'s input schema', { details: { problems: problems.slice(0, 20) } })
  return JSON.stringify(input)
}

function finish(product: LoadedProduct, text: string): RunResult {
  const envelope = parseEnvelope(text)
  if (envelope.ok && 'output' in envelope) {
    const problems = checkValue(product.manifest.output, envelope.output)
    if (problems.length > 0) {
      throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'The output does not match the product\'s output schema', { logs: envelope.logs }, { problems: problems.slice(0, 20) })
    }
    return { output: envelope.output, logs: envelope.logs }
  }
  const e = envelope as { error: string; code?: string; message?: string; stack?: string; logs?: string[] }
  const diagnostics = {
    ...(e.message === undefined ? {} : { message: trimHostPaths(e.message) }),
    ...(e.stack === undefined ? {} : { stack: trimHostPaths(e.stack) }),
    logs: e.logs ?? [],
  }
  switch (e.error) {
    case 'THREW':
      throw new SandboxError('ERR_SANDBOX_THREW', 'The product failed', diagnostics, e.code === undefined ? undefined : { productCode: e.code })
    case 'DENIED':
      throw new SandboxError('ERR_VIEW_COLUMN_DENIED', 'The product asked for a table or field outside its approved scenario', diagnostics)
    case 'OUTPUT_TOO_LARGE':
      throw new SandboxError('ERR_SANDBOX_OUTPUT_TOO_LARGE', 'The product output is too large', diagnostics)
    default:
      throw new SandboxError('ERR_SANDBOX_INVALID_OUTPUT', 'The product output is not a plain, synchronous JSON value', diagnostics)
  }
}

/** One entity: rows found by key on the host, one call into the product's warm context for this consumer. */
export async function invokeProduct(
  pool: SandboxPool,
  product: LoadedProduct,
  consumer: string,
  input: unknown,
  rows: EntityRows,
  asOf: string,
): Promise<RunResult> {
  if (product.manifest.kind !== 'api') throw new RuntimeError('ERR_PARAMS_INVALID', 'This product is not called per entity')
  const inputJson = checkInput(product, input)
  const result = finish(product, await pool.invoke(product.key, consumer, inputJson, JSON.stringify(rows), asOf))
  // the key a product is called with may be seen, never returned (DESIGN: minimum necessary)
  const key = (input as Record<string, unknown>)[product.manifest.entityKey!]
  if (typeof key === 'string' && key.length >= 4 && JSON.stringify(result.output).includes(key)) {
    throw new RuntimeError('ERR_RELEASE_REFUSED', 'The output contains the key the product was called with', { details: { reasons: ['KEY_IN_OUTPUT'] } })
  }
  return result
}

/** Batch: the scenario's tables as typed columns, pulled into the isolate a chunk at a time. */
export async function runBatchProduct(
  pool: SandboxPool,
  product: LoadedProduct,
  consumer: string,
  input: unknown,
  tables: ReadonlyMap<string, WireTable>,
  asOf: string,
): Promise<RunResult> {
  if (product.manifest.kind === 'api') throw new RuntimeError('ERR_PARAMS_INVALID', 'This product is called per entity')
  const inputJson = checkInput(product, input)
  return finish(product, await pool.batch(product.key, consumer, inputJson, tables, asOf))
}
