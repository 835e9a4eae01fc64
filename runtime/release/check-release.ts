/**
 * The release checks: a pure function over the exact text that will be signed, returning every
 * reason, not the first one (OpenSAFELY's output checker in spirit). The statistical rules of
 * datasets and reports run earlier, on the aggregates the runtime computed itself, before the
 * product saw them (runtime/products/run-batch.ts); what reaches here is a function of those.
 *
 * Reasons carry codes, paths and thresholds — never data values: a refusal is itself an output.
 */
import type { ValueSchema } from '../products/manifest.ts'
import { checkValue } from '../products/check-value.ts'
import { findIdentifiers, type IdentifierHit } from './scan-identifiers.ts'
import { checkApiOutputSchema, findPersonalValues, type GuardedValues } from './api-output-rules.ts'
import type { ReleasePolicy } from './release-policy.ts'

export type ReleaseReason =
  | { readonly code: 'SCHEMA_MISMATCH'; readonly problems: number }
  | { readonly code: 'DIRECT_IDENTIFIER'; readonly kind: IdentifierHit['kind']; readonly offset: number }
  | { readonly code: 'UNDECLARED_FREE_TEXT'; readonly path: string; readonly limit: number }
  | { readonly code: 'KEY_IN_OUTPUT' }
  | { readonly code: 'OUTPUT_SCHEMA_UNBOUNDED'; readonly problems: number }
  | { readonly code: 'PERSONAL_VALUE'; readonly path: string }
  | { readonly code: 'VOLUME_EXCEEDED'; readonly limit: number; readonly periodDays: number }
  | { readonly code: 'ROW_LEVEL_NOT_APPROVED' }
  | { readonly code: 'OUTPUT_TOO_LARGE'; readonly limit: number }

export type ReleaseVerdict =
  | { readonly ok: true; readonly passed: readonly string[] }
  | { readonly ok: false; readonly reasons: readonly ReleaseReason[]; readonly passed: readonly string[] }

export type ReleaseCheckInput = {
  /** The output as it will be signed (its canonical JSON text). */
  readonly text: string
  readonly output: unknown
  readonly schema: ValueSchema
  readonly policy: ReleasePolicy
  /** One-entity products: the key the call was about (may be seen, never returned). */
  readonly entityKey?: string
  /**
   * One-entity answers: the entity's guarded values (masked personal texts, sensitive amounts),
   * none of which may appear in the answer; and the answer's schema must be bounded.
   */
  readonly answer?: { readonly guarded: GuardedValues }
  /** Identifiers the operator approved for release (row-level datasets for public governance): found, and let through. */
  readonly allowedIdentifiers?: ReadonlySet<string>
  /** Reasons found by the stateful guards (volume) and on the way (row-level approval) for this release. */
  readonly guardReasons?: readonly ReleaseReason[]
  readonly maxBytes?: number
}

const MAX_HITS_PER_KIND = 10

/** Undeclared strings longer than the policy allows: free text must be declared in the schema. */
function freeText(schema: ValueSchema, value: unknown, limit: number, path: string, out: ReleaseReason[]): void {
  if (schema.anyOf !== undefined) {
    if (value !== null) freeText(schema.anyOf[0]!, value, limit, path, out)
    return
  }
  if (schema.type === 'string' && typeof value === 'string') {
    if (schema.enum === undefined && schema['x-free-text'] !== true && value.length > limit) out.push({ code: 'UNDECLARED_FREE_TEXT', path: path || '/', limit })
  } else if (schema.type === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => freeText(schema.items!, item, limit, `${path}/${i}`, out))
  } else if (schema.type === 'object' && value !== null && typeof value === 'object') {
    for (const [k, sub] of Object.entries(schema.properties ?? {})) {
      if (Object.hasOwn(value, k)) freeText(sub, (value as Record<string, unknown>)[k], limit, `${path}/${k}`, out)
    }
  }
}

export function checkRelease(input: ReleaseCheckInput): ReleaseVerdict {
  const reasons: ReleaseReason[] = []
  const passed: string[] = []
  const note = (check: string, before: number) => {
    if (reasons.length === before) passed.push(check)
  }

  let before = reasons.length
  if (input.maxBytes !== undefined && input.text.length > input.maxBytes) reasons.push({ code: 'OUTPUT_TOO_LARGE', limit: input.maxBytes })
  const problems = checkValue(input.schema, input.output)
  if (problems.length > 0) reasons.push({ code: 'SCHEMA_MISMATCH', problems: problems.length })
  note('SCHEMA', before)

  before = reasons.length
  // every hit counts; the refusal lists the first few of each kind (a refusal is an output too)
  const perKind = new Map<string, number>()
  for (const hit of findIdentifiers(input.text)) {
    if (input.allowedIdentifiers?.has(input.text.slice(hit.start, hit.end)) === true) continue
    const n = (perKind.get(hit.kind) ?? 0) + 1
    perKind.set(hit.kind, n)
    if (n <= MAX_HITS_PER_KIND) reasons.push({ code: 'DIRECT_IDENTIFIER', kind: hit.kind, offset: hit.start })
  }
  // the key a one-entity product was called with, in any letter case
  if (input.entityKey !== undefined && input.entityKey.length >= 4 && input.text.toUpperCase().includes(input.entityKey.toUpperCase())) reasons.push({ code: 'KEY_IN_OUTPUT' })
  note('IDENTIFIERS', before)

  before = reasons.length
  freeText(input.schema, input.output, input.policy.maxCodeLength, '', reasons)
  note('FREE_TEXT', before)

  if (input.answer !== undefined) {
    // minimum necessary: a bounded shape, and nothing of the entity's masked personal values
    before = reasons.length
    const unbounded = checkApiOutputSchema(input.schema)
    if (unbounded.length > 0) reasons.push({ code: 'OUTPUT_SCHEMA_UNBOUNDED', problems: unbounded.length })
    for (const path of findPersonalValues(input.output, input.schema, input.answer.guarded).slice(0, MAX_HITS_PER_KIND)) reasons.push({ code: 'PERSONAL_VALUE', path })
    note('MINIMUM_NECESSARY', before)
  }

  before = reasons.length
  reasons.push(...(input.guardReasons ?? []))
  note('GUARDS', before)

  return reasons.length === 0 ? { ok: true, passed } : { ok: false, reasons, passed }
}
