import { describe, it, expect } from 'vitest'
import {
  isResidentIdShaped,
  isValidResidentId,
  makeResidentId,
  parseResidentId,
  residentIdCheckDigit,
} from '../../../catalog/identifiers/resident-id.ts'

/** Appends the correct check character, so only the non-checksum rules can reject the result. */
function withCheck(first17: string): string {
  return first17 + residentIdCheckDigit(first17)
}

const VALID_PROVINCES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]

// The specimen of GB 11643-1999 and numbers built from independent parts.
const VALID_18 = [
  '11010519491231002X',
  makeResidentId('340104', '19800101', 123),
  makeResidentId('440305', '20240229', 0),
  makeResidentId('650102', '20991231', 999),
  makeResidentId('820000', '19000101', 7),
]

describe('residentIdCheckDigit', () => {
  it('computes the GB 11643-1999 specimen check characters', () => {
    // 167 mod 11 = 2 -> 'X' (worked in resident-id.ts).
    expect(residentIdCheckDigit('11010519491231002')).toBe('X')
    // 195 mod 11 = 8 -> '4'.
    expect(residentIdCheckDigit('44052418800101001')).toBe('4')
  })

  it('covers every residue: each of the 11 check characters is reachable', () => {
    const seen = new Set<string>()
    for (let seq = 0; seq < 200; seq++) {
      seen.add(residentIdCheckDigit('11010519491231' + String(seq).padStart(3, '0')))
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'])
  })

  it('throws TypeError unless given exactly 17 digits', () => {
    for (const bad of ['', '1101051949123100', '110105194912310021', '1101051949123100X', '１1010519491231002', ' 11010519491231002']) {
      expect(() => residentIdCheckDigit(bad)).toThrow(TypeError)
    }
    expect(() => residentIdCheckDigit(undefined as unknown as string)).toThrow(TypeError)
  })
})

describe('isValidResidentId: 18-character form', () => {
  it('accepts known valid values', () => {
    for (const value of VALID_18) expect(isValidResidentId(value)).toBe(true)
  })

  it('rejects every single-character substitution of a valid value', () => {
    const alphabet = '0123456789Xx A'
    for (const value of VALID_18) {
      for (let i = 0; i < value.length; i++) {
        for (const c of alphabet) {
          if (c === value[i]) continue
          const mutated = value.slice(0, i) + c + value.slice(i + 1)
          expect(isValidResidentId(mutated), mutated).toBe(false)
        }
      }
    }
  })

  it('rejects wrong lengths', () => {
    const value = '11010519491231002X'
    for (let n = 0; n < value.length; n++) expect(isValidResidentId(value.slice(0, n))).toBe(false)
    expect(isValidResidentId(value + '0')).toBe(false)
    expect(isValidResidentId('0' + value)).toBe(false)
    expect(isValidResidentId('1101051949123100')).toBe(false)
  })

  it('rejects lowercase x: callers normalise', () => {
    expect(isValidResidentId('11010519491231002x')).toBe(false)
    expect(parseResidentId('11010519491231002x')).toBeNull()
  })

  it('rejects surrounding whitespace and non-strings', () => {
    expect(isValidResidentId(' 11010519491231002X')).toBe(false)
    expect(isValidResidentId('11010519491231002X\n')).toBe(false)
    expect(isValidResidentId(undefined as unknown as string)).toBe(false)
    expect(isValidResidentId(11010519491231002 as unknown as string)).toBe(false)
  })

  it('checks the calendar, including leap years', () => {
    expect(isValidResidentId(withCheck('11010519990230001'))).toBe(false) // 30 Feb
    expect(isValidResidentId(withCheck('11010520230229001'))).toBe(false) // 2023 not leap
    expect(isValidResidentId(withCheck('11010520240229001'))).toBe(true) // 2024 leap
    expect(isValidResidentId(withCheck('11010520000229001'))).toBe(true) // divisible by 400
    expect(isValidResidentId(withCheck('11010519000229001'))).toBe(false) // divisible by 100 only
    expect(isValidResidentId(withCheck('11010519990431001'))).toBe(false) // 31 April
    expect(isValidResidentId(withCheck('11010519990430001'))).toBe(true)
    expect(isValidResidentId(withCheck('11010519991231001'))).toBe(true)
    expect(isValidResidentId(withCheck('11010519991232001'))).toBe(false)
    expect(isValidResidentId(withCheck('11010519990001001'))).toBe(false) // month 00
    expect(isValidResidentId(withCheck('11010519991301001'))).toBe(false) // month 13
    expect(isValidResidentId(withCheck('11010519990100001'))).toBe(false) // day 00
  })

  it('limits the birth date to 1900-01-01 .. 2099-12-31', () => {
    expect(isValidResidentId(withCheck('11010519000101001'))).toBe(true)
    expect(isValidResidentId(withCheck('11010518991231001'))).toBe(false)
    expect(isValidResidentId(withCheck('11010520991231001'))).toBe(true)
    expect(isValidResidentId(withCheck('11010521000101001'))).toBe(false)
    // The 1880 specimen of GB 11643-1999 has a correct check character but lies before 1900.
    expect(residentIdCheckDigit('44052418800101001')).toBe('4')
    expect(isValidResidentId('440524188001010014')).toBe(false)
  })

  it('requires a provincial-level code in the first two digits', () => {
    for (const p of VALID_PROVINCES) {
      expect(isValidResidentId(withCheck(p + '010519491231002')), p).toBe(true)
    }
    const valid = new Set(VALID_PROVINCES)
    for (let n = 0; n < 100; n++) {
      const p = String(n).padStart(2, '0')
      if (valid.has(p)) continue
      expect(isValidResidentId(withCheck(p + '010519491231002')), p).toBe(false)
    }
  })
})

describe('isValidResidentId: 15-digit form', () => {
  it('accepts a valid province code and 19YY date', () => {
    expect(isValidResidentId('110105491231002')).toBe(true)
    expect(isValidResidentId('340104800101123')).toBe(true)
    expect(isValidResidentId('440305960229001')).toBe(true) // 1996-02-29
  })

  it('rejects impossible dates, read as 19YY', () => {
    expect(isValidResidentId('110105990230001')).toBe(false) // 1999-02-30
    expect(isValidResidentId('110105000229001')).toBe(false) // 1900-02-29
    expect(isValidResidentId('110105970229001')).toBe(false) // 1997-02-29
    expect(isValidResidentId('110105491301002')).toBe(false)
  })

  it('rejects an invalid province code, letters and other lengths', () => {
    expect(isValidResidentId('100105491231002')).toBe(false)
    expect(isValidResidentId('910105491231002')).toBe(false)
    expect(isValidResidentId('11010549123100X')).toBe(false)
    expect(isValidResidentId('11010549123100')).toBe(false)
    expect(isValidResidentId('1101054912310021')).toBe(false)
  })
})

describe('parseResidentId', () => {
  it('splits the GB 11643-1999 specimen', () => {
    expect(parseResidentId('11010519491231002X')).toEqual({
      adminCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
      form: 18,
    })
  })

  it('splits the 15-digit form', () => {
    expect(parseResidentId('110105491231001')).toEqual({
      adminCode: '110105',
      birthDate: '1949-12-31',
      sex: 'male',
      form: 15,
    })
    expect(parseResidentId('440305960229002')?.sex).toBe('female')
    expect(parseResidentId('440305960229002')?.birthDate).toBe('1996-02-29')
  })

  it('returns null for invalid values', () => {
    for (const bad of ['', '11010519491231002Y', '110105194912310021', withCheck('11010520230229001'), '100105491231002']) {
      expect(parseResidentId(bad)).toBeNull()
    }
  })

  it('round-trips makeResidentId, sex following the parity of the sequence', () => {
    const cases: Array<[string, string, number]> = [
      ['110105', '19491231', 2],
      ['340104', '19800101', 123],
      ['440305', '20240229', 0],
      ['650102', '20991231', 999],
      ['710000', '19000101', 10],
      ['820000', '20000229', 501],
    ]
    for (const [adminCode, birth, sequence] of cases) {
      const id = makeResidentId(adminCode, birth, sequence)
      expect(id).toHaveLength(18)
      expect(id.slice(14, 17)).toBe(String(sequence).padStart(3, '0'))
      expect(isValidResidentId(id)).toBe(true)
      expect(parseResidentId(id)).toEqual({
        adminCode,
        birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
        sex: sequence % 2 === 1 ? 'male' : 'female',
        form: 18,
      })
    }
  })
})

describe('makeResidentId', () => {
  it('reproduces the GB 11643-1999 specimen', () => {
    expect(makeResidentId('110105', '19491231', 2)).toBe('11010519491231002X')
  })

  it('throws TypeError on a bad address code', () => {
    for (const bad of ['11010', '1101050', '1a0105', '100105', '990105', '']) {
      expect(() => makeResidentId(bad, '19491231', 2), bad).toThrow(TypeError)
    }
  })

  it('throws TypeError on a bad or out-of-range birth date', () => {
    for (const bad of ['1949123', '194912310', '19990230', '20230229', '18991231', '21000101', '1949-12-31', '']) {
      expect(() => makeResidentId('110105', bad, 2), bad).toThrow(TypeError)
    }
    expect(makeResidentId('110105', '20240229', 2)).toHaveLength(18)
  })

  it('throws TypeError on a sequence outside 0..999 or not an integer', () => {
    for (const bad of [-1, 1000, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => makeResidentId('110105', '19491231', bad), String(bad)).toThrow(TypeError)
    }
    expect(makeResidentId('110105', '19491231', 0).slice(14, 17)).toBe('000')
    expect(makeResidentId('110105', '19491231', 999).slice(14, 17)).toBe('999')
  })
})

describe('isResidentIdShaped', () => {
  it('accepts the structure with a right, wrong or missing check character', () => {
    expect(isResidentIdShaped('11010519491231002X')).toBe(true)
    expect(isResidentIdShaped('110105194912310021')).toBe(true)
    expect(isResidentIdShaped('11010519491231002')).toBe(true)
  })
  it('refuses a bad province, a bad date, other lengths and other characters', () => {
    expect(isResidentIdShaped('990105194912310021')).toBe(false)
    expect(isResidentIdShaped('110105194913310021')).toBe(false)
    expect(isResidentIdShaped('110105190002290021')).toBe(false) // 1900 is no leap year
    expect(isResidentIdShaped('1101051949123100')).toBe(false)
    expect(isResidentIdShaped('1101051949123100211')).toBe(false)
    expect(isResidentIdShaped('11010519491231002Y')).toBe(false)
    expect(isResidentIdShaped('11010519491231002x')).toBe(false) // callers fold case
  })
})
