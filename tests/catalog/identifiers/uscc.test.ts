import { describe, it, expect } from 'vitest'
import {
  isUsccShaped,
  isValidUscc,
  makeUscc,
  organizationCodeCheckChar,
  parseUscc,
  usccCheckChar,
} from '../../../catalog/identifiers/uscc.ts'

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/**
 * Codes published on business licences and in public registries. Each passes two independent
 * checks (GB 11714 mod 11 and GB 32100 mod 31), which a random string does with probability
 * 1/341, so they also test the implementation.
 */
const PUBLISHED = [
  '91350100M000100Y43', // the example commonly cited with GB 32100-2015
  '914403001922038216', // 华为技术有限公司 (organisation code 19220382-1)
  '91440300708461136T',
  '91110108551385082Q',
  '91330100799655058B',
  '112302070019030687', // authority 1 (机构编制)
  '11610923MB2900168E', // authority 1, letters in the organisation code
  '51610700305332460K', // authority 5 (民政)
]

describe('organizationCodeCheckChar (GB 11714-1997)', () => {
  it('computes hand-worked cases', () => {
    // 22·3 + 1·5 + 34·2 = 139; 139 mod 11 = 7; 11 - 7 = 4.
    expect(organizationCodeCheckChar('M000100Y')).toBe('4')
    // 164 mod 11 = 10; 11 - 10 = 1.
    expect(organizationCodeCheckChar('19220382')).toBe('1')
    // 1·3 + 1·4 + 8·2 = 23; 23 mod 11 = 1; 11 - 1 = 10 -> 'X'.
    expect(organizationCodeCheckChar('10000018')).toBe('X')
    // 1·3 + 4·2 = 11; 11 mod 11 = 0; 11 - 0 = 11 -> '0'.
    expect(organizationCodeCheckChar('10000004')).toBe('0')
  })

  it('values letters A=10 .. Z=35, including letters outside the GB 32100 alphabet', () => {
    // Only the first position (weight 3): A = 10 -> 30 mod 11 = 8 -> 3; Z = 35 -> 105 mod 11 = 6 -> 5.
    expect(organizationCodeCheckChar('A0000000')).toBe('3')
    expect(organizationCodeCheckChar('Z0000000')).toBe('5')
    // I = 18 -> 54 mod 11 = 10 -> 1; O = 24 -> 72 mod 11 = 6 -> 5.
    expect(organizationCodeCheckChar('I0000000')).toBe('1')
    expect(organizationCodeCheckChar('O0000000')).toBe('5')
  })

  it('throws TypeError unless given eight digits or uppercase letters', () => {
    for (const bad of ['', 'M000100', 'M000100Y4', 'm000100y', 'M000-100', 'M000100 ']) {
      expect(() => organizationCodeCheckChar(bad), bad).toThrow(TypeError)
    }
  })
})

describe('usccCheckChar (GB 32100-2015)', () => {
  it('computes hand-worked cases', () => {
    // Σ = 1640; 1640 mod 31 = 28; 31 - 28 = 3.
    expect(usccCheckChar('91350100M000100Y4')).toBe('3')
    // 9 + 3 + 27 + 135 + 26 + 1·29 + 2·25 = 279 = 9·31; 31 - 0 = 31 -> index 0.
    expect(usccCheckChar('91350100012000000')).toBe('0')
  })

  it('reaches every character of the alphabet', () => {
    const seen = new Set<string>()
    for (const c of ALPHABET) seen.add(usccCheckChar('9135010' + c + 'M000100Y4'))
    expect([...seen].sort().join('')).toBe([...ALPHABET].sort().join(''))
  })

  it('throws TypeError unless given 17 characters of the alphabet', () => {
    for (const bad of ['', '91350100M000100Y', '91350100M000100Y43', '91350100I000100Y4', '91350100m000100y4']) {
      expect(() => usccCheckChar(bad), bad).toThrow(TypeError)
    }
  })
})

describe('isValidUscc', () => {
  it('accepts published codes', () => {
    for (const code of PUBLISHED) expect(isValidUscc(code), code).toBe(true)
  })

  it('rejects every single-character substitution of a valid code', () => {
    const substitutes = ALPHABET + 'IOZSVabxy -'
    for (const code of PUBLISHED) {
      for (let i = 0; i < code.length; i++) {
        for (const c of substitutes) {
          if (c === code[i]) continue
          const mutated = code.slice(0, i) + c + code.slice(i + 1)
          expect(isValidUscc(mutated), mutated).toBe(false)
        }
      }
    }
  })

  it('rejects wrong lengths', () => {
    const code = '91350100M000100Y43'
    for (let n = 0; n < code.length; n++) expect(isValidUscc(code.slice(0, n))).toBe(false)
    expect(isValidUscc(code + '0')).toBe(false)
    expect(isValidUscc(' ' + code)).toBe(false)
  })

  it('rejects lowercase and characters outside the alphabet even with a recomputed check', () => {
    expect(isValidUscc('91350100m000100y43')).toBe(false)
    // Z, S, V, I, O are not in the alphabet, so no check character can make them valid.
    for (const c of 'ZSVIO') {
      const first17 = '91350100M' + c + '00100Y4'
      for (const check of ALPHABET) expect(isValidUscc(first17 + check)).toBe(false)
    }
  })

  it('rejects a wrong organisation code check character even when position 18 is recomputed', () => {
    const first16 = '91350100M000100Y'
    for (const orgCheck of '0123456789X') {
      const first17 = first16 + orgCheck
      const code = first17 + usccCheckChar(first17)
      expect(isValidUscc(code), code).toBe(orgCheck === '4')
    }
  })

  it('rejects letters in the administrative division code even with both checks correct', () => {
    const first17 = '913501A0' + 'M000100Y' + organizationCodeCheckChar('M000100Y')
    expect(isValidUscc(first17 + usccCheckChar(first17))).toBe(false)
    const digits17 = '91350100' + 'M000100Y' + organizationCodeCheckChar('M000100Y')
    expect(isValidUscc(digits17 + usccCheckChar(digits17))).toBe(true)
  })

  it('rejects non-strings', () => {
    expect(isValidUscc(undefined as unknown as string)).toBe(false)
    expect(isValidUscc(null as unknown as string)).toBe(false)
  })
})

describe('parseUscc', () => {
  it('splits a published code', () => {
    expect(parseUscc('91350100M000100Y43')).toEqual({
      authority: '9',
      category: '1',
      adminCode: '350100',
      organizationCode: 'M000100Y4',
    })
    expect(parseUscc('51610700305332460K')).toEqual({
      authority: '5',
      category: '1',
      adminCode: '610700',
      organizationCode: '305332460',
    })
  })

  it('returns null for invalid codes', () => {
    expect(parseUscc('91350100M000100Y44')).toBeNull()
    expect(parseUscc('91350100M000100Y4')).toBeNull()
    expect(parseUscc('')).toBeNull()
  })
})

describe('makeUscc', () => {
  it('computes both check characters', () => {
    expect(makeUscc('9', '1', '350100', 'M000100Y')).toBe('91350100M000100Y43')
    expect(makeUscc('9', '1', '440300', '19220382')).toBe('914403001922038216')
    expect(makeUscc('5', '1', '610700', '30533246')).toBe('51610700305332460K')
  })

  it('round-trips through parseUscc for every authority-like character', () => {
    for (const authority of ALPHABET) {
      const code = makeUscc(authority, '2', '100000', 'MA' + authority + '12345')
      expect(isValidUscc(code), code).toBe(true)
      expect(parseUscc(code)).toEqual({
        authority,
        category: '2',
        adminCode: '100000',
        organizationCode: 'MA' + authority + '12345' + organizationCodeCheckChar('MA' + authority + '12345'),
      })
    }
  })

  it('throws TypeError on bad parts', () => {
    expect(() => makeUscc('', '1', '350100', 'M000100Y')).toThrow(TypeError)
    expect(() => makeUscc('91', '1', '350100', 'M000100Y')).toThrow(TypeError)
    expect(() => makeUscc('I', '1', '350100', 'M000100Y')).toThrow(TypeError)
    expect(() => makeUscc('9', 'O', '350100', 'M000100Y')).toThrow(TypeError)
    expect(() => makeUscc('9', '1', '35010', 'M000100Y')).toThrow(TypeError)
    expect(() => makeUscc('9', '1', '3501A0', 'M000100Y')).toThrow(TypeError)
    expect(() => makeUscc('9', '1', '350100', 'M000100')).toThrow(TypeError)
    expect(() => makeUscc('9', '1', '350100', 'M00010OY')).toThrow(TypeError)
    expect(() => makeUscc('9', '1', '350100', 'm000100y')).toThrow(TypeError)
  })
})

describe('isUsccShaped', () => {
  it('accepts a valid organisation code inside, with a right, wrong or missing last check character', () => {
    expect(isUsccShaped('91350100M000100Y43')).toBe(true)
    expect(isUsccShaped('91350100M000100Y44')).toBe(true)
    expect(isUsccShaped('91350100M000100Y4')).toBe(true)
  })
  it('refuses a broken organisation code, letters in the division code and other lengths', () => {
    expect(isUsccShaped('91350100M000100Y53')).toBe(false)
    expect(isUsccShaped('9135A100M000100Y43')).toBe(false)
    expect(isUsccShaped('91350100M000100Y433')).toBe(false)
    expect(isUsccShaped('91350100M00010OY43')).toBe(false) // O is not in the GB 32100 alphabet
  })
})
