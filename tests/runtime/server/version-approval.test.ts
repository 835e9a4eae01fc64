/**
 * The override of a version's failing checks: what it may pass (a check an operator can judge, such
 * as fields the scenario does not approve yet) and what it never passes — a code hash that does not
 * match (nothing reviewable) and a category the scenario was not approved for (a charged product
 * under a free public-interest approval). The real path of the code hash is in first-hour-traps.
 */
import { describe, expect, it } from 'vitest'
import { overriddenChecks } from '../../../runtime/server/version-approval.ts'
import type { VersionCheck } from '../../../runtime/server/version-review.ts'

const passing: VersionCheck[] = [
  { check: 'code_hash', ok: true },
  { check: 'scenario_approved', ok: true },
  { check: 'category_matches', ok: true },
  { check: 'fields_approved', ok: true },
]
const failing = (name: VersionCheck['check']) => passing.map((c) => (c.check === name ? { check: name, ok: false, detail: 'failed on purpose' } : c))
const override = { decision: 'approve', override: true, reason: '运营人员已人工核对' } as const

describe('overriding failing checks', () => {
  it('never passes a category the scenario was not approved for, or a code hash that does not match', () => {
    for (const name of ['category_matches', 'code_hash'] as const) {
      expect(() => overriddenChecks(failing(name), override), name).toThrow(expect.objectContaining({ code: 'ERR_REVIEW_CHECKS_FAILED', details: { problems: [{ path: `check:${name}`, problem: 'failed on purpose' }] } }))
    }
  })

  it('passes a check an operator can judge, with a reason, and names it (control); nothing to override when all pass', () => {
    expect(overriddenChecks(failing('fields_approved'), override)).toEqual(['fields_approved'])
    expect(overriddenChecks(passing, { decision: 'approve' })).toEqual([])
    expect(() => overriddenChecks(failing('fields_approved'), { decision: 'approve' })).toThrow(expect.objectContaining({ code: 'ERR_REVIEW_CHECKS_FAILED' }))
  })
})
