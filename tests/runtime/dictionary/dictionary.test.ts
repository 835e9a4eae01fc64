/**
 * The dictionary names every code of every catalogue in Chinese (and English): the types make a
 * missing code a type error; this test reads the catalogues' runtime lists, runs the release
 * report's and checks' code paths for the codes that are only strings there, and checks that the
 * folder bundles for a browser (no node: import reaches the console).
 */
import { describe, expect, it } from 'vitest'
import { build } from 'esbuild'
import { CLASSIFICATION_LEVELS, FIELD_TYPES, GENERALIZE_TARGETS, IDENTIFIER_KINDS, MASK_RULES } from '../../../catalog/classification.ts'
import { AUDIT_ACTIONS } from '../../../runtime/audit/audit-actions.ts'
import { RUNTIME_ERROR_CODES } from '../../../runtime/errors.ts'
import { checkRelease } from '../../../runtime/release/check-release.ts'
import { defaultPolicy } from '../../../runtime/release/release-policy.ts'
import { aggregateItems, checkItems, limitItems, rowItems, type ReportItem } from '../../../runtime/release/release-report.ts'
import { SCENARIO_CATEGORIES } from '../../../runtime/scenarios/scenario.ts'
import { VERSION_CHECKS } from '../../../runtime/server/version-review.ts'
import { PLATFORM_ROLES } from '../../../runtime/state/principals.ts'
import * as dictionary from '../../../runtime/dictionary/index.ts'
import type { Names } from '../../../runtime/dictionary/index.ts'

const HAN = /\p{Script=Han}/u
const dictionaries = Object.entries(dictionary as Record<string, unknown>).filter((e): e is [string, Record<string, Names>] => typeof e[1] === 'object')

describe('the dictionary', () => {
  it('has a Chinese name with Chinese characters and an English name for every entry', () => {
    expect(dictionaries.length).toBeGreaterThanOrEqual(20)
    const wrong: string[] = []
    for (const [name, entries] of dictionaries) {
      for (const [code, [zh, en]] of Object.entries(entries)) {
        if (!HAN.test(zh) || zh.trim() !== zh) wrong.push(`${name}.${code}: ${zh}`)
        if (en.trim() === '' || HAN.test(en)) wrong.push(`${name}.${code} (English): ${en}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('names every code of every catalogue', () => {
    const missing = (names: Record<string, Names>, codes: readonly string[]) => codes.filter((c) => !Object.hasOwn(names, c))
    expect(missing(dictionary.ERROR_NAMES, RUNTIME_ERROR_CODES)).toEqual([])
    expect(missing(dictionary.AUDIT_ACTION_NAMES, Object.keys(AUDIT_ACTIONS))).toEqual([])
    expect(missing(dictionary.AUDIT_AREA_NAMES, Object.keys(AUDIT_ACTIONS).map((a) => a.split('.')[0]!))).toEqual([])
    expect(missing(dictionary.VERSION_CHECK_NAMES, VERSION_CHECKS)).toEqual([])
    expect(missing(dictionary.IDENTIFIER_KIND_NAMES, IDENTIFIER_KINDS)).toEqual([])
    expect(missing(dictionary.MASK_RULE_NAMES, MASK_RULES)).toEqual([])
    expect(missing(dictionary.GENERALIZE_TARGET_NAMES, GENERALIZE_TARGETS)).toEqual([])
    expect(missing(dictionary.LEVEL_NAMES, CLASSIFICATION_LEVELS)).toEqual([])
    expect(missing(dictionary.FIELD_TYPE_NAMES, FIELD_TYPES)).toEqual([])
    expect(missing(dictionary.CATEGORY_NAMES, SCENARIO_CATEGORIES)).toEqual([])
    expect(missing(dictionary.ROLE_NAMES, [...PLATFORM_ROLES, 'consumer'])).toEqual([])
    // and no name for a code the catalogue does not have
    expect(Object.keys(dictionary.ERROR_NAMES).filter((c) => !RUNTIME_ERROR_CODES.includes(c as never))).toEqual([])
    expect(Object.keys(dictionary.AUDIT_ACTION_NAMES).filter((c) => !Object.hasOwn(AUDIT_ACTIONS, c))).toEqual([])
  })

  it('names every item, status and figure the reviewers\' report can hold, and every release check', () => {
    const items: ReportItem[] = [
      ...aggregateItems({ tables: 1, cells: 9, released: 5, withheld: { MIN_COUNT: 1, DOMINANCE: 1, P_PERCENT: 1, RESIDUAL_DF: 1, EXTREME_VALUE: 1 }, zeros: 1, classDisclosures: 1, secondary: 1, exposedEarlier: 1, intervals: { checked: 2, secondary: 1, narrowedEarlier: 1, unchecked: 1, range: 3 } }),
      ...aggregateItems({ tables: 1, cells: 9, released: 9, withheld: {}, zeros: 0, classDisclosures: 0, secondary: 0, exposedEarlier: 0, privacy: { epsilon: 0.5, remaining: 1 } }),
      ...rowItems({ released: 3, withheld: 1, identifiers: true, quasi: 2 }),
      ...rowItems({ released: 3, withheld: 1, identifiers: false, quasi: 2 }),
      ...limitItems(),
    ]
    const verdict = checkRelease({ text: '{"score":1}', output: { score: 1 }, schema: { type: 'object', properties: { score: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['score'], additionalProperties: false }, policy: defaultPolicy('api'), answer: { guarded: { texts: new Set(), numbers: new Set() } } })
    const passed = [...verdict.passed, 'REVIEW']
    expect(passed.length).toBeGreaterThanOrEqual(5)
    items.push(...checkItems(passed))
    const statuses = new Set(items.map((i) => i.status))
    expect(statuses.size).toBe(4)
    expect(passed.filter((c) => !Object.hasOwn(dictionary.RELEASE_CHECK_NAMES, c))).toEqual([])
    expect([...new Set(items.map((i) => i.check))].filter((c) => !Object.hasOwn(dictionary.REPORT_ITEM_NAMES, c))).toEqual([])
    expect([...statuses].filter((s) => !Object.hasOwn(dictionary.REPORT_STATUS_NAMES, s))).toEqual([])
    expect([...new Set(items.flatMap((i) => Object.keys(i.figures ?? {})))].filter((f) => !Object.hasOwn(dictionary.REPORT_FIGURE_NAMES, f))).toEqual([])
  })

  it('looks up own members only: a code from outside never reaches Object.prototype', () => {
    expect(dictionary.nameOf(dictionary.ERROR_NAMES, 'ERR_CONFLICT', 'zh')).toContain('冲突')
    expect(dictionary.nameOf(dictionary.ERROR_NAMES, 'ERR_CONFLICT', 'en')).toContain('Conflicts')
    expect(dictionary.nameOf(dictionary.ERROR_NAMES, 'toString', 'zh')).toBeUndefined()
    expect(dictionary.nameOf(dictionary.ERROR_NAMES, '__proto__', 'zh')).toBeUndefined()
  })

  it('bundles for a browser: nothing of node reaches the console', async () => {
    const bundled = await build({ entryPoints: ['runtime/dictionary/index.ts'], bundle: true, platform: 'browser', format: 'esm', charset: 'utf8', write: false, logLevel: 'silent' })
    const text = bundled.outputFiles[0]!.text
    expect(text).not.toMatch(/from ["']node:|require\(/)
    expect(text).toContain('审计日志')
  })
})
