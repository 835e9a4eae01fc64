import { describe, it, expect } from 'vitest'
import { PROVINCE_ABBREVIATIONS, isValidPlate, makePlate } from '../../../catalog/identifiers/plate.ts'

const VALID = [
  '皖N12345', // ordinary, digits only
  '皖NA1B23', // ordinary, two letters
  '京A12345',
  '粤B8888Z',
  '沪AD1234', // ordinary serial starting with D (five characters)
  '皖ND12345', // small new-energy, pure electric
  '粤BF12345', // small new-energy, other
  '沪ADA1234', // small new-energy, letter in second place
  '粤BA12345', // small new-energy, extended pure-electric letter
  '京AK00001', // small new-energy, extended other letter
  '京A12345D', // large new-energy, pure electric
  '川A00000F', // large new-energy, other
]

describe('PROVINCE_ABBREVIATIONS', () => {
  it('lists the 31 mainland province-level abbreviations once each', () => {
    expect(PROVINCE_ABBREVIATIONS).toHaveLength(31)
    expect(new Set(PROVINCE_ABBREVIATIONS).size).toBe(31)
    expect(Object.isFrozen(PROVINCE_ABBREVIATIONS)).toBe(true)
    expect([...PROVINCE_ABBREVIATIONS].sort()).toEqual(
      [...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'].sort(),
    )
    for (const p of PROVINCE_ABBREVIATIONS) expect(p).toHaveLength(1)
  })

  it('excludes Hong Kong, Macao and Taiwan, and non-province characters', () => {
    for (const c of ['港', '澳', '台', '使', '领', '警', 'A']) expect(PROVINCE_ABBREVIATIONS).not.toContain(c)
  })
})

describe('isValidPlate', () => {
  it('accepts ordinary and new-energy plates', () => {
    for (const plate of VALID) expect(isValidPlate(plate), plate).toBe(true)
  })

  it('accepts every province abbreviation and every authority letter except I and O', () => {
    for (const p of PROVINCE_ABBREVIATIONS) expect(isValidPlate(p + 'A12345'), p).toBe(true)
    for (const a of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      expect(isValidPlate('皖' + a + '12345'), a).toBe(a !== 'I' && a !== 'O')
    }
  })

  it('rejects an invalid character substituted at any position', () => {
    for (const plate of VALID) {
      for (let i = 0; i < plate.length; i++) {
        for (const c of ['I', 'O', 'a', '港', '-', ' ', '·']) {
          const mutated = plate.slice(0, i) + c + plate.slice(i + 1)
          expect(isValidPlate(mutated), mutated).toBe(false)
        }
      }
    }
  })

  it('rejects a non-province first character and a non-letter authority', () => {
    expect(isValidPlate('港A12345')).toBe(false)
    expect(isValidPlate('AA12345')).toBe(false)
    expect(isValidPlate('1A12345')).toBe(false)
    expect(isValidPlate('京112345')).toBe(false)
    expect(isValidPlate('京京12345')).toBe(false)
  })

  it('allows at most two letters in an ordinary serial', () => {
    expect(isValidPlate('皖NAB123')).toBe(true)
    expect(isValidPlate('皖NA1B2C')).toBe(false)
    expect(isValidPlate('皖NABC12')).toBe(false)
    expect(isValidPlate('皖NABCDE')).toBe(false)
  })

  it('checks the shape of new-energy serials', () => {
    expect(isValidPlate('皖NL12345')).toBe(false) // L is not an energy letter
    expect(isValidPlate('皖N112345')).toBe(false) // six digits
    expect(isValidPlate('皖NDA1A34')).toBe(false) // letter in the last four
    expect(isValidPlate('皖ND1234A')).toBe(false)
    expect(isValidPlate('皖NDAB234')).toBe(false)
    expect(isValidPlate('京A12345A')).toBe(false) // large plates end in D or F only
    expect(isValidPlate('京A1234DD')).toBe(false)
  })

  it('rejects wrong lengths, lowercase, separators and non-strings', () => {
    expect(isValidPlate('皖N1234')).toBe(false)
    expect(isValidPlate('皖N1234567')).toBe(false)
    expect(isValidPlate('皖')).toBe(false)
    expect(isValidPlate('')).toBe(false)
    expect(isValidPlate('皖n12345')).toBe(false)
    expect(isValidPlate('皖Na1b23')).toBe(false)
    expect(isValidPlate('皖N·12345')).toBe(false)
    expect(isValidPlate('皖N 12345')).toBe(false)
    expect(isValidPlate('皖N12345 ')).toBe(false)
    expect(isValidPlate(undefined as unknown as string)).toBe(false)
  })
})

describe('makePlate', () => {
  it('round-trips valid parts', () => {
    for (const plate of VALID) {
      const made = makePlate(plate.charAt(0), plate.charAt(1), plate.slice(2))
      expect(made).toBe(plate)
      expect(isValidPlate(made)).toBe(true)
    }
  })

  it('throws TypeError if any part is invalid', () => {
    expect(() => makePlate('港', 'A', '12345')).toThrow(TypeError)
    expect(() => makePlate('京A', '', '12345')).toThrow(TypeError) // would concatenate to a valid plate
    expect(() => makePlate('京', 'A1', '2345')).toThrow(TypeError)
    expect(() => makePlate('京', 'I', '12345')).toThrow(TypeError)
    expect(() => makePlate('京', 'a', '12345')).toThrow(TypeError)
    expect(() => makePlate('京', 'A', 'ABC12')).toThrow(TypeError)
    expect(() => makePlate('京', 'A', '1234')).toThrow(TypeError)
    expect(() => makePlate('京', 'A', 'L12345')).toThrow(TypeError)
    expect(() => makePlate('京', 'A', '12O45')).toThrow(TypeError)
  })
})
