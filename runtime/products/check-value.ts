/**
 * Checks a value against a schema of the SDK's subset (validated by manifest.ts): no code
 * generation from partner schemas. Returns every problem as a JSON-pointer path and a fixed
 * description, never the value itself.
 */
import { RE2JS } from 're2js'
import type { ValueSchema } from './manifest.ts'

const compiled = new Map<string, RE2JS>()

/**
 * Partner patterns run on RE2 (linear time): a pattern can never stall the serving process,
 * whatever string it is tested against (no catastrophic backtracking).
 */
export function compilePattern(pattern: string): RE2JS {
  let re = compiled.get(pattern)
  if (re === undefined) {
    re = RE2JS.compile(pattern)
    if (compiled.size > 10_000) compiled.clear()
    compiled.set(pattern, re)
  }
  return re
}

/** Longest string a pattern is ever tested against (bounds regular-expression work). */
const MAX_PATTERN_SUBJECT = 512

export function checkValue(schema: ValueSchema, value: unknown, path = ''): string[] {
  if (schema.anyOf !== undefined) {
    if (value === null) return []
    return checkValue(schema.anyOf[0]!, value, path)
  }
  const at = path === '' ? '/' : path
  switch (schema.type) {
    case 'null':
      return value === null ? [] : [`${at}: must be null`]
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: must be a boolean`]
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${at}: must be a finite number`]
      if (schema.type === 'integer' && !Number.isInteger(value)) return [`${at}: must be an integer`]
      const problems: string[] = []
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below the minimum`)
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: above the maximum`)
      return problems
    }
    case 'string': {
      if (typeof value !== 'string') return [`${at}: must be a string`]
      const problems: string[] = []
      if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: too short`)
      if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${at}: too long`)
      if (schema.enum !== undefined && !schema.enum.includes(value)) problems.push(`${at}: not one of the allowed values`)
      if (schema.pattern !== undefined) {
        if (value.length > MAX_PATTERN_SUBJECT || !compilePattern(schema.pattern).matcher(value).find()) problems.push(`${at}: does not match the pattern`)
      }
      return problems
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: must be an array`]
      if (value.length > schema.maxItems!) return [`${at}: too many items`]
      return value.flatMap((item, i) => checkValue(schema.items!, item, `${path}/${i}`))
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: must be an object`]
      const problems: string[] = []
      const properties = schema.properties ?? {}
      // an unknown member is named only when its name is a plain identifier: a problem never carries a caller's text
      for (const key of Object.keys(value)) if (!Object.hasOwn(properties, key)) problems.push(`${path}/${/^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(key) ? key : '(member)'}: is not allowed`)
      for (const key of schema.required ?? []) if (!Object.hasOwn(value, key)) problems.push(`${path}/${key}: is required`)
      for (const [key, sub] of Object.entries(properties)) {
        if (Object.hasOwn(value, key)) problems.push(...checkValue(sub, (value as Record<string, unknown>)[key], `${path}/${key}`))
      }
      return problems
    }
    default:
      return [`${at}: unsupported schema`]
  }
}
