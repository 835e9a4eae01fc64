import { describe, it, expect } from 'vitest'
import { MOBILE_PREFIXES, isValidMobile, makeMobile } from '../../../catalog/identifiers/phone.ts'

describe('MOBILE_PREFIXES', () => {
  it('is a frozen, sorted list of unique three-digit segments 13x-19x', () => {
    expect(Object.isFrozen(MOBILE_PREFIXES)).toBe(true)
    expect(new Set(MOBILE_PREFIXES).size).toBe(MOBILE_PREFIXES.length)
    expect([...MOBILE_PREFIXES].sort()).toEqual([...MOBILE_PREFIXES])
    for (const p of MOBILE_PREFIXES) expect(p, p).toMatch(/^1[3-9]\d$/)
  })

  it('holds the carrier segments in use', () => {
    const expected = [
      ...['130', '131', '132', '133', '134', '135', '136', '137', '138', '139'],
      '145', '147', '150', '151', '152', '153', '155', '156', '157', '158', '159',
      '166', '170', '171', '172', '173', '175', '176', '177', '178',
      ...['180', '181', '182', '183', '184', '185', '186', '187', '188', '189'],
      '190', '191', '193', '195', '196', '197', '198', '199',
    ]
    for (const p of expected) expect(MOBILE_PREFIXES, p).toContain(p)
  })

  it('leaves out unallocated and IoT segments', () => {
    for (const p of ['154', '140', '141', '144', '160', '174', '179', '194']) {
      expect(MOBILE_PREFIXES, p).not.toContain(p)
    }
  })
})

describe('isValidMobile', () => {
  it('accepts 11-digit numbers 1[3-9]xxxxxxxxx', () => {
    expect(isValidMobile('13800138000')).toBe(true)
    expect(isValidMobile('19912345678')).toBe(true)
    for (const p of MOBILE_PREFIXES) expect(isValidMobile(p + '00000000'), p).toBe(true)
  })

  it('rejects a first digit other than 1 and a second digit 0-2', () => {
    const value = '13800138000'
    for (const c of '023456789') expect(isValidMobile(c + value.slice(1)), c).toBe(false)
    for (const c of '012') expect(isValidMobile('1' + c + value.slice(2)), c).toBe(false)
  })

  it('rejects any non-digit substituted at any position', () => {
    const value = '13800138000'
    for (let i = 0; i < value.length; i++) {
      for (const c of ['a', ' ', '-', '+', '８']) {
        const mutated = value.slice(0, i) + c + value.slice(i + 1)
        expect(isValidMobile(mutated), mutated).toBe(false)
      }
    }
  })

  it('rejects wrong lengths, country codes and separators', () => {
    expect(isValidMobile('1380013800')).toBe(false)
    expect(isValidMobile('138001380001')).toBe(false)
    expect(isValidMobile('')).toBe(false)
    expect(isValidMobile('+8613800138000')).toBe(false)
    expect(isValidMobile('8613800138000')).toBe(false)
    expect(isValidMobile('138-0013-8000')).toBe(false)
    expect(isValidMobile('138 0013 8000')).toBe(false)
    expect(isValidMobile(' 13800138000')).toBe(false)
    expect(isValidMobile('13800138000\n')).toBe(false)
    expect(isValidMobile(13800138000 as unknown as string)).toBe(false)
  })
})

describe('makeMobile', () => {
  it('round-trips every allocated segment', () => {
    for (const p of MOBILE_PREFIXES) {
      const number = makeMobile(p, '12345678')
      expect(number).toBe(p + '12345678')
      expect(isValidMobile(number)).toBe(true)
    }
  })

  it('throws TypeError on an unallocated segment or a bad subscriber number', () => {
    expect(() => makeMobile('154', '12345678')).toThrow(TypeError)
    expect(() => makeMobile('120', '12345678')).toThrow(TypeError)
    expect(() => makeMobile('13', '812345678')).toThrow(TypeError)
    expect(() => makeMobile('1380', '1234567')).toThrow(TypeError)
    expect(() => makeMobile('138', '1234567')).toThrow(TypeError)
    expect(() => makeMobile('138', '123456789')).toThrow(TypeError)
    expect(() => makeMobile('138', '1234567a')).toThrow(TypeError)
  })
})
