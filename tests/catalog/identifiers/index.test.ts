import { describe, it, expect } from 'vitest'
import * as identifiers from '../../../catalog/identifiers/index.ts'
import { isValidIdentifier } from '../../../catalog/identifiers/index.ts'
import type { IdentifierKind } from '../../../catalog/identifiers/index.ts'

describe('index exports', () => {
  it('re-exports every function and constant', () => {
    const functions = [
      'residentIdCheckDigit', 'makeResidentId', 'isValidResidentId', 'parseResidentId', 'isResidentIdShaped',
      'organizationCodeCheckChar', 'usccCheckChar', 'makeUscc', 'isValidUscc', 'parseUscc', 'isUsccShaped',
      'luhnCheckDigit', 'isValidBankCard', 'makeBankCard',
      'isValidMobile', 'makeMobile',
      'isValidPlate', 'makePlate',
      'isValidIdentifier', 'identifierProblem',
    ]
    for (const name of functions) {
      expect(typeof (identifiers as Record<string, unknown>)[name], name).toBe('function')
    }
    expect(identifiers.MOBILE_PREFIXES).toContain('138')
    expect(identifiers.PROVINCE_ABBREVIATIONS).toContain('皖')
    expect(Object.keys(identifiers).sort()).toEqual([...functions, 'MOBILE_PREFIXES', 'PROVINCE_ABBREVIATIONS'].sort())
  })
})

describe('isValidIdentifier', () => {
  const cases: Array<[IdentifierKind, string, string]> = [
    ['resident_id', '11010519491231002X', '11010519491231002x'],
    ['uscc', '91350100M000100Y43', '91350100M000100Y44'],
    ['phone', '13800138000', '12800138000'],
    ['bank_card', '6200000000000005', '6200000000000006'],
    ['plate', '皖N12345', '皖NI2345'],
  ]

  it('dispatches to the matching validator', () => {
    for (const [kind, valid, invalid] of cases) {
      expect(isValidIdentifier(kind, valid), `${kind} ${valid}`).toBe(true)
      expect(isValidIdentifier(kind, invalid), `${kind} ${invalid}`).toBe(false)
    }
  })

  it('does not accept a value of one kind as another', () => {
    for (const [kind] of cases) {
      for (const [otherKind, otherValid] of cases) {
        if (otherKind === kind) continue
        expect(isValidIdentifier(kind, otherValid), `${kind} ${otherValid}`).toBe(false)
      }
    }
  })

  it('requires a non-blank name or address', () => {
    for (const kind of ['name', 'address'] as const) {
      expect(isValidIdentifier(kind, '张三')).toBe(true)
      expect(isValidIdentifier(kind, ' 合肥市 ')).toBe(true)
      expect(isValidIdentifier(kind, '')).toBe(false)
      expect(isValidIdentifier(kind, ' \t\n')).toBe(false)
      expect(isValidIdentifier(kind, '\u3000')).toBe(false) // ideographic space is whitespace
    }
  })

  it('accepts anything for none', () => {
    expect(isValidIdentifier('none', '')).toBe(true)
    expect(isValidIdentifier('none', 'anything')).toBe(true)
  })

  it('throws TypeError on an unknown kind', () => {
    expect(() => isValidIdentifier('email' as IdentifierKind, 'a@b.c')).toThrow(TypeError)
  })
})
