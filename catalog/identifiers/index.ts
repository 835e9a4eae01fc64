/**
 * Chinese identifiers: the citizen identity number (GB 11643-1999), the unified social
 * credit code (GB 32100-2015) with its organisation code (GB 11714-1997), bank card numbers
 * (ISO/IEC 7812-1 Luhn), mainland mobile numbers and motor vehicle plates (GA 36-2018).
 *
 * Every validator takes the value as stored (no trimming, no case folding): callers
 * normalise first. Pure TypeScript, no imports outside this folder: it also runs in the sandbox.
 */
import { isValidBankCard } from './bank-card.ts'
import { isValidMobile } from './phone.ts'
import { isValidPlate } from './plate.ts'
import { isValidResidentId, residentIdProblem } from './resident-id.ts'
import { isValidUscc, usccProblem } from './uscc.ts'

export { isValidBankCard, luhnCheckDigit, makeBankCard } from './bank-card.ts'
export { MOBILE_PREFIXES, isValidMobile, makeMobile } from './phone.ts'
export { PROVINCE_ABBREVIATIONS, isValidPlate, makePlate } from './plate.ts'
export { isResidentIdShaped, isValidResidentId, makeResidentId, parseResidentId, residentIdCheckDigit } from './resident-id.ts'
export type { ResidentIdParts } from './resident-id.ts'
export { isUsccShaped, isValidUscc, makeUscc, organizationCodeCheckChar, parseUscc, usccCheckChar } from './uscc.ts'
export type { UsccParts } from './uscc.ts'

/**
 * What kind of identifier a catalog field holds. `name` and `address` have no check
 * structure; `none` marks a field that is not an identifier.
 *
 * @example
 * const kind: IdentifierKind = 'resident_id'
 */
export type IdentifierKind = 'resident_id' | 'uscc' | 'phone' | 'name' | 'address' | 'bank_card' | 'plate' | 'none'

/**
 * Validates `value` as an identifier of `kind`: the structural check of the matching module
 * for `resident_id`, `uscc`, `phone` (mobile), `bank_card` and `plate`; non-blank for `name`
 * and `address`; always `true` for `none`.
 *
 * @example
 * isValidIdentifier('resident_id', '11010519491231002X') // true
 * isValidIdentifier('uscc', '91350100M000100Y44')        // false
 * isValidIdentifier('name', '   ')                       // false
 * isValidIdentifier('none', '')                          // true
 */
export function isValidIdentifier(kind: IdentifierKind, value: string): boolean {
  switch (kind) {
    case 'resident_id':
      return isValidResidentId(value)
    case 'uscc':
      return isValidUscc(value)
    case 'phone':
      return isValidMobile(value)
    case 'bank_card':
      return isValidBankCard(value)
    case 'plate':
      return isValidPlate(value)
    case 'name':
    case 'address':
      return typeof value === 'string' && value.trim().length > 0
    case 'none':
      return true
    default: {
      const unreachable: never = kind
      void unreachable
      throw new TypeError('isValidIdentifier expects a known IdentifierKind')
    }
  }
}

/** The identifier kinds with check digits, which {@link identifierProblem} diagnoses. */
export type CheckedIdentifierKind = Extract<IdentifierKind, 'resident_id' | 'uscc'>

/**
 * What is wrong with `value` as an identifier of a kind with check digits, as a fixed rule text
 * that never quotes it; undefined when it is valid. A wrong check digit (the usual typo) is told
 * apart from a value that is no such identifier at all.
 *
 * @example
 * identifierProblem('uscc', '91350100M000100Y43') // undefined
 * identifierProblem('uscc', '91350100M000100Y44') // 'The check digit (position 18) of the unified social credit code is invalid (GB 32100-2015)'
 */
export function identifierProblem(kind: CheckedIdentifierKind, value: string): string | undefined {
  return kind === 'resident_id' ? residentIdProblem(value) : usccProblem(value)
}
