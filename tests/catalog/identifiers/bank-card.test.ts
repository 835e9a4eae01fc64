import { describe, it, expect } from 'vitest'
import { isValidBankCard, luhnCheckDigit, makeBankCard } from '../../../catalog/identifiers/bank-card.ts'

// Public test numbers of the card networks (16 and 19 digits).
const VALID = [
  '6200000000000005', // UnionPay test card, IIN 62
  '6205500000000000004', // UnionPay test card, 19 digits
  '4111111111111111', // Visa test card
  '5555555555554444', // Mastercard test card
  '6011111111111117', // Discover test card
  makeBankCard('622202', '1234567890'), // 17 digits
  makeBankCard('621700', '12345678901'), // 18 digits
]

describe('luhnCheckDigit', () => {
  it('computes hand-worked cases', () => {
    // 8 + 7·2 + 7·1 = 29 -> (10 - 9) mod 10 = 1 (worked in bank-card.ts).
    expect(luhnCheckDigit('411111111111111')).toBe('1')
    // 6 doubled = 12 -> 3, plus 2: 5 -> 5.
    expect(luhnCheckDigit('620000000000000')).toBe('5')
    // The textbook example 79927398713: payload 7992739871, check 3.
    expect(luhnCheckDigit('7992739871')).toBe('3')
    // Sum a multiple of 10 gives 0.
    expect(luhnCheckDigit('0')).toBe('0')
    expect(luhnCheckDigit('5')).toBe('9') // 5·2 = 10 -> 1; (10 - 1) mod 10 = 9
  })

  it('throws TypeError on an empty or non-digit payload', () => {
    for (const bad of ['', 'abc', '4111 1111', '４１１１', '-1']) {
      expect(() => luhnCheckDigit(bad), bad).toThrow(TypeError)
    }
  })
})

describe('isValidBankCard', () => {
  it('accepts known valid numbers of 16 to 19 digits', () => {
    for (const card of VALID) expect(isValidBankCard(card), card).toBe(true)
    expect(new Set(VALID.map((c) => c.length))).toEqual(new Set([16, 17, 18, 19]))
  })

  it('rejects every single-character substitution of a valid number', () => {
    const substitutes = '0123456789a -'
    for (const card of VALID) {
      for (let i = 0; i < card.length; i++) {
        for (const c of substitutes) {
          if (c === card[i]) continue
          const mutated = card.slice(0, i) + c + card.slice(i + 1)
          expect(isValidBankCard(mutated), mutated).toBe(false)
        }
      }
    }
  })

  it('rejects Luhn-valid numbers outside 16..19 digits', () => {
    const fifteen = '37828224631000' + luhnCheckDigit('37828224631000')
    expect(fifteen).toBe('378282246310005')
    expect(isValidBankCard(fifteen)).toBe(false)
    const twenty = '6200000000000000000' + luhnCheckDigit('6200000000000000000')
    expect(twenty).toHaveLength(20)
    expect(isValidBankCard(twenty)).toBe(false)
    expect(isValidBankCard('')).toBe(false)
  })

  it('rejects separators, whitespace and non-strings', () => {
    expect(isValidBankCard('6200 0000 0000 0005')).toBe(false)
    expect(isValidBankCard('6200-0000-0000-0005')).toBe(false)
    expect(isValidBankCard(' 6200000000000005')).toBe(false)
    expect(isValidBankCard(6200000000000005 as unknown as string)).toBe(false)
  })
})

describe('makeBankCard', () => {
  it('produces Luhn-valid numbers of length prefix + body + 1', () => {
    for (let bodyLength = 9; bodyLength <= 12; bodyLength++) {
      const body = '123456789012'.slice(0, bodyLength)
      const card = makeBankCard('622848', body)
      expect(card).toHaveLength(6 + bodyLength + 1)
      expect(card.startsWith('622848' + body)).toBe(true)
      expect(card.slice(-1)).toBe(luhnCheckDigit('622848' + body))
      expect(isValidBankCard(card)).toBe(true)
    }
  })

  it('reproduces a known test card', () => {
    expect(makeBankCard('620000', '000000000')).toBe('6200000000000005')
    expect(makeBankCard('411111', '111111111')).toBe('4111111111111111')
  })

  it('throws TypeError on a bad prefix or body', () => {
    expect(() => makeBankCard('62220', '1234567890')).toThrow(TypeError)
    expect(() => makeBankCard('6222021', '1234567890')).toThrow(TypeError)
    expect(() => makeBankCard('62220a', '1234567890')).toThrow(TypeError)
    expect(() => makeBankCard('622202', '12345678')).toThrow(TypeError) // 15 digits
    expect(() => makeBankCard('622202', '1234567890123')).toThrow(TypeError) // 20 digits
    expect(() => makeBankCard('622202', '12345678a')).toThrow(TypeError)
  })
})
