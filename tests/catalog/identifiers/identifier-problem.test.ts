/**
 * What is wrong with an identifier, as fixed rule texts that never quote it: a wrong check digit
 * (the usual typo) is told apart from a value that is no such identifier; a valid one has none.
 */
import { describe, expect, it } from 'vitest'
import { identifierProblem, isValidResidentId, isValidUscc, makeResidentId, makeUscc, residentIdCheckDigit } from '../../../catalog/identifiers/index.ts'

const uscc = makeUscc('9', '1', '350100', 'M000100Y')
const resident = makeResidentId('110105', '19491231', 2)
const other = (c: string) => (c === '0' ? '1' : '0')

describe('identifierProblem', () => {
  it('has nothing to say of valid identifiers', () => {
    expect(identifierProblem('uscc', uscc)).toBeUndefined()
    expect(identifierProblem('resident_id', resident)).toBeUndefined()
    expect(identifierProblem('resident_id', '110105491231002')).toBeUndefined() // the 15-digit form
  })

  it('names a USCC\'s wrong check digit by position, never the value', () => {
    const at18 = uscc.slice(0, 17) + other(uscc[17]!)
    const at17 = uscc.slice(0, 16) + other(uscc[16]!) + uscc[17]
    expect(identifierProblem('uscc', at18)).toBe('The check digit (position 18) of the unified social credit code is invalid (GB 32100-2015)')
    expect(identifierProblem('uscc', at17)).toBe('The organisation code\'s check digit (position 17) of the unified social credit code is invalid (GB 11714-1997)')
    for (const bad of [at18, at17]) expect(isValidUscc(bad)).toBe(false)
    expect(identifierProblem('uscc', uscc.slice(0, 17))).toBe('Not a unified social credit code (GB 32100-2015)')
    expect(identifierProblem('uscc', uscc.toLowerCase())).toBe('Not a unified social credit code (GB 32100-2015)')
  })

  it('tells a resident ID\'s wrong check digit from a date that cannot be', () => {
    const typo = resident.slice(0, 17) + (resident[17] === '1' ? '2' : '1')
    expect(isValidResidentId(typo)).toBe(false)
    expect(identifierProblem('resident_id', typo)).toBe('The check digit (position 18) of the resident ID number is invalid (GB 11643-1999)')
    // 30 February, with the check digit that fits it
    const february30 = `11010519990230001${residentIdCheckDigit('11010519990230001')}`
    for (const impossible of [february30, '110105990230001']) {
      expect(identifierProblem('resident_id', impossible)).toBe('The address code or the date of birth of the resident ID number is not valid (GB 11643-1999)')
    }
    expect(identifierProblem('resident_id', 'not-an-id')).toBe('Not a resident ID number (GB 11643-1999)')
  })
})
