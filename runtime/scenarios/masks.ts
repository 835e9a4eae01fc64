/**
 * Masking rules compiled to SQL over the store (vectorized, so masking costs nothing at query
 * time once materialized), plus the keyed pseudonym, which is computed in the runtime with the
 * scenario's secret and joined in when a scenario's tables are materialized.
 *
 * Every expression takes a quoted column and returns VARCHAR (or the numeric type for `keep`),
 * so that nothing about the unmasked value survives except what the rule keeps.
 */
import { createHmac } from 'node:crypto'
import type { FieldDefinition } from '../../catalog/table-definition.ts'
import type { MaskRule } from '../../catalog/classification.ts'
import { quoteLiteral } from '../store/schema.ts'


const PSEUDONYM_ALPHABET = 'abcdefghjkmnpqrstuvwxyz'

/**
 * HMAC-SHA256 with the scenario's secret: stable within a scenario, unlinkable across scenarios.
 * Written with letters only (≈ 90 bits), so that a pseudonym can never look like a phone number,
 * an ID or a card number to the release checks.
 */
export function pseudonym(secret: Buffer, value: string): string {
  const digest = createHmac('sha256', secret).update(value, 'utf8').digest()
  let out = 'p_'
  for (let i = 0; i < 20; i++) out += PSEUDONYM_ALPHABET[digest[i]! % PSEUDONYM_ALPHABET.length]
  return out
}

/** Default partial-mask widths per identifier kind: 张*三, 138****1234, 3415**********1234. */
function partialWidths(field: FieldDefinition, mask: Extract<MaskRule, { rule: 'partial' }>): [number, number] {
  if (mask.keepStart !== undefined || mask.keepEnd !== undefined) return [mask.keepStart ?? 0, mask.keepEnd ?? 0]
  switch (field.identifier) {
    case 'name':
      return [1, 1]
    case 'phone':
      return [3, 4]
    case 'resident_id':
      return [4, 4]
    case 'bank_card':
      return [6, 4]
    case 'plate':
      return [2, 2]
    default:
      return [1, 1]
  }
}

/**
 * The SQL expression that masks `field` (read from `source`, an already-quoted column
 * reference) under `mask`. Pseudonyms are no expression: they are read from the pseudonym map
 * joined in by materialize.
 */
export function maskExpression(field: FieldDefinition, mask: MaskRule, source: string, asOf: string): string {
  switch (mask.rule) {
    case 'keep':
      return source
    case 'drop':
      throw new TypeError('a dropped field has no expression')
    case 'pseudonym':
      throw new TypeError('a pseudonymized field is read from its pseudonym map')
    case 'partial': {
      const [start, end] = partialWidths(field, mask)
      const text = `CAST(${source} AS VARCHAR)`
      // short values: keep the first character only (a two-character name 张三 → 张*)
      return `CASE WHEN ${source} IS NULL THEN NULL
        WHEN length(${text}) <= ${start + end} THEN left(${text}, 1) || repeat('*', greatest(length(${text}) - 1, 1))
        ELSE left(${text}, ${start}) || repeat('*', length(${text}) - ${start + end}) || right(${text}, ${end}) END`
    }
    case 'generalize':
      switch (mask.to) {
        case 'year':
          return `CAST(year(${source}) AS VARCHAR)`
        case 'month':
          return `strftime(${source}, '%Y-%m')`
        case 'age_band':
          return `CASE WHEN ${source} IS NULL THEN NULL ELSE
            CAST(date_diff('year', ${source}, DATE ${quoteLiteral(asOf)}) // 10 * 10 AS VARCHAR) || '-' ||
            CAST(date_diff('year', ${source}, DATE ${quoteLiteral(asOf)}) // 10 * 10 + 9 AS VARCHAR) END`
        case 'district':
          // 安徽省六安市金安区… → 安徽省六安市金安区 (province, city and county-level division)
          return `regexp_extract(${source}, '^(.*?省)?(.*?市)(.*?[区县市])', 0)`
        case 'compound':
          // cut the building, unit, room or house number: …金色家园3栋2单元501室 → …金色家园
          return `regexp_replace(regexp_replace(${source}, '(\\d+(栋|幢|组)).*$', ''), '\\d+号$', '')`
      }
      break
    case 'bucketize': {
      const bounds = mask.bounds
      const arms = bounds.map((b, i) => {
        const label = i === 0 ? `<${b}` : `${bounds[i - 1]}-${b}`
        return `WHEN ${source} < ${b} THEN ${quoteLiteral(label)}`
      })
      return `CASE WHEN ${source} IS NULL THEN NULL ${arms.join(' ')} ELSE ${quoteLiteral(`>=${bounds[bounds.length - 1]}`)} END`
    }
  }
  throw new TypeError('unknown mask rule')
}
