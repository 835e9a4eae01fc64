/**
 * Minimum necessary for one-entity answers (docs/disclosure-control.md: "API answers are about the
 * requested entity only, in declared, bounded shapes"). Two pure checks:
 *
 * - {@link checkApiOutputSchema}, on the declared output schema (at version review and again at
 *   every release): numbers carry a declared range, strings are enums or anchored patterns,
 *   no free text, arrays bounded. What a schema admits is what an operator approves.
 * - {@link findPersonalValues}, on each answer: no masked personal value of the entity's rows
 *   (a masked name, phone, address or pseudonym, exact sensitive amounts) appears in the answer,
 *   whole or inside a longer label, unless the scenario approved that field for output.
 *
 * Problems and hits are JSON-pointer paths and fixed text, never values.
 */
import type { ValueSchema } from '../products/manifest.ts'

/** Most items an array of a one-entity answer may declare. */
export const API_MAX_ITEMS = 100

/**
 * Every place where an `api` product's output schema admits more than a bounded answer:
 * - a number (or integer) without both `minimum` and `maximum`;
 * - a string without `enum` and without a `pattern` anchored at both ends (`^…$`);
 * - a string declared free text (`x-free-text`);
 * - an array whose `maxItems` exceeds {@link API_MAX_ITEMS}.
 *
 * @example
 * checkApiOutputSchema({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false })
 * // ['/n: a number needs a declared minimum and maximum']
 */
export function checkApiOutputSchema(schema: ValueSchema, path = ''): string[] {
  const at = path === '' ? '/' : path
  if (schema.anyOf !== undefined) return checkApiOutputSchema(schema.anyOf[0]!, path)
  switch (schema.type) {
    case 'number':
    case 'integer':
      return schema.minimum === undefined || schema.maximum === undefined ? [`${at}: a number needs a declared minimum and maximum`] : []
    case 'string': {
      const problems: string[] = []
      if (schema['x-free-text'] === true) problems.push(`${at}: free text is not a one-entity answer`)
      const anchored = schema.pattern !== undefined && schema.pattern.startsWith('^') && schema.pattern.endsWith('$')
      if (schema.enum === undefined && !anchored) problems.push(`${at}: a string needs an enum or a pattern anchored with ^ and $`)
      return problems
    }
    case 'array': {
      const problems = (schema.maxItems ?? Infinity) > API_MAX_ITEMS ? [`${at}: an array may hold at most ${API_MAX_ITEMS} items`] : []
      return [...problems, ...checkApiOutputSchema(schema.items!, `${path}/*`)]
    }
    case 'object':
      return Object.entries(schema.properties ?? {}).flatMap(([key, sub]) => checkApiOutputSchema(sub, `${path}/${key}`))
    default:
      return []
  }
}

/**
 * The values of one entity's rows that may not appear in its answer: masked texts of personal
 * identifier fields (names, phones, addresses, pseudonyms, partial masks) and the exact amounts of
 * sensitive (L3/L4) personal numeric fields, minus the fields the scenario approved for output.
 */
export type GuardedValues = { readonly texts: ReadonlySet<string>; readonly numbers: ReadonlySet<number> }

/** Shortest masked text that is looked for (a masked surname `张*` is two characters). */
const MIN_TEXT = 2

/**
 * A number that is specific enough to point at a record when it reappears: a non-integer, or an
 * integer of at least four digits. (Small integers — ages, counts, months, scores — repeat by chance.)
 */
function isSpecific(n: number): boolean {
  return Number.isFinite(n) && (!Number.isInteger(n) || Math.abs(n) >= 1000)
}

/**
 * The JSON-pointer paths of the answer's leaves that carry a guarded value: a string that
 * contains a guarded text (labels built by concatenating masked names and phones included), or a
 * specific number equal to a guarded amount. Enum strings are skipped: their values are constants
 * the operator approved. Linear in the answer (every substring of a non-enum string is looked up;
 * strings longer than `maxStringLength` are checked only for exact values).
 *
 * @example
 * findPersonalValues({ who: '张*|138****5678' }, schema, { texts: new Set(['张*']), numbers: new Set() }) // ['/who']
 */
export function findPersonalValues(value: unknown, schema: ValueSchema, guarded: GuardedValues, maxStringLength = 256): string[] {
  if (guarded.texts.size === 0 && guarded.numbers.size === 0) return []
  let longest = 0
  for (const t of guarded.texts) if (t.length > longest) longest = t.length
  const hits: string[] = []
  const visit = (s: ValueSchema | undefined, v: unknown, path: string): void => {
    const at = path === '' ? '/' : path
    if (s?.anyOf !== undefined) return visit(s.anyOf[0], v, path)
    if (typeof v === 'string') {
      if (s?.enum !== undefined && s.enum.includes(v)) return
      if (containsGuarded(v, guarded.texts, longest, maxStringLength)) hits.push(at)
    } else if (typeof v === 'number') {
      if (isSpecific(v) && guarded.numbers.has(v)) hits.push(at)
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(s?.items, item, `${path}/${i}`))
    } else if (v !== null && typeof v === 'object') {
      for (const [key, sub] of Object.entries(v)) visit(s?.properties?.[key], sub, `${path}/${key}`)
    }
  }
  visit(schema, value, '')
  return hits
}

function containsGuarded(s: string, texts: ReadonlySet<string>, longest: number, maxStringLength: number): boolean {
  if (texts.has(s)) return true
  if (s.length > maxStringLength) return false
  for (let start = 0; start < s.length; start++) {
    const end = Math.min(s.length, start + longest)
    for (let stop = start + MIN_TEXT; stop <= end; stop++) if (texts.has(s.slice(start, stop))) return true
  }
  return false
}
