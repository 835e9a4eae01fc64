/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015, with the organisation code
 * (组织机构代码) of GB 11714-1997 it embeds.
 *
 * An 18-character code over the 31-character alphabet `0123456789ABCDEFGHJKLMNPQRTUWXY`
 * (digits and the uppercase letters without I, O, Z, S, V):
 *
 * | positions | meaning                                                              |
 * |-----------|----------------------------------------------------------------------|
 * | 1         | registration authority code (登记管理部门代码): `1` 机构编制, `5` 民政, `9` 工商 (now 市场监管), `Y` 其他, ... |
 * | 2         | organisation category (机构类别代码), per authority; under `9`: `1` 企业, `2` 个体工商户, `3` 农民专业合作社 |
 * | 3-8       | administrative division code of the registering authority (GB/T 2260), six digits |
 * | 9-17      | organisation code (GB 11714-1997): eight body characters and its own check character |
 * | 18        | check character over positions 1-17 (GB 32100-2015)                  |
 *
 * Positions 1-2 are only checked against the alphabet, not against the table of authorities
 * and categories, which has grown since 2015. Positions 3-6 are not checked against the
 * province list either: authorities at national level use `100000`.
 *
 * Pure TypeScript, no imports: this file also runs in the sandbox.
 */

/** The GB 32100-2015 character set; a character's index is its value in the check sum. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** GB 32100-2015 weights for positions 1-17: W(i) = 3^(i-1) mod 31. */
const USCC_WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** GB 11714-1997 weights for the eight body characters of an organisation code. */
const ORG_WEIGHTS: readonly number[] = [3, 7, 9, 10, 5, 8, 4, 2]

const ORG_BODY = /^[0-9A-Z]{8}$/
const ADMIN_CODE = /^\d{6}$/

/** Index of `char` in {@link ALPHABET}, or -1 if it is not in the GB 32100 set. */
function alphabetIndex(char: string): number {
  return char.length === 1 ? ALPHABET.indexOf(char) : -1
}

/** Whether every character of `value` is in the GB 32100 alphabet. */
function inAlphabet(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (alphabetIndex(value.charAt(i)) < 0) return false
  }
  return true
}

/**
 * The check character of a GB 11714-1997 organisation code (组织机构代码) from its eight
 * body characters. Digits are worth 0-9 and the letters A-Z are worth 10-35; with weights
 * 3,7,9,10,5,8,4,2 the check value is C9 = 11 - (Σ Ci·Wi mod 11), written `X` when it is
 * 10 and `0` when it is 11.
 *
 * Worked case (body `M000100Y`, from 91350100M000100Y43): M = 22, Y = 34;
 * 22·3 + 0·7 + 0·9 + 0·10 + 1·5 + 0·8 + 0·4 + 34·2 = 139; 139 mod 11 = 7; 11 - 7 = 4.
 *
 * Worked case (body `19220382`): 1·3 + 9·7 + 2·9 + 2·10 + 0·5 + 3·8 + 8·4 + 2·2 = 164;
 * 164 mod 11 = 10; 11 - 10 = 1.
 *
 * @param body8 Eight characters from `0-9` and uppercase `A-Z`.
 * @returns One of `0`-`9` or `X`.
 * @throws TypeError if `body8` is not eight such characters.
 * @example
 * organizationCodeCheckChar('M000100Y') // '4'
 * organizationCodeCheckChar('19220382') // '1'
 */
export function organizationCodeCheckChar(body8: string): string {
  if (typeof body8 !== 'string' || !ORG_BODY.test(body8)) {
    throw new TypeError('organizationCodeCheckChar expects eight characters from 0-9 and A-Z')
  }
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const code = body8.charCodeAt(i)
    // '0'-'9' are 48-57 (worth 0-9); 'A'-'Z' are 65-90 (worth 10-35).
    const value = code <= 57 ? code - 48 : code - 55
    sum += value * (ORG_WEIGHTS[i] ?? 0)
  }
  const check = 11 - (sum % 11)
  if (check === 10) return 'X'
  if (check === 11) return '0'
  return String(check)
}

/**
 * The check character (position 18) of a unified social credit code from its first 17
 * characters (GB 32100-2015): with each character worth its index in
 * `0123456789ABCDEFGHJKLMNPQRTUWXY` and weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28,
 * the check value is C18 = 31 - (Σ Ci·Wi mod 31), with 31 written as index 0 (`0`).
 *
 * Worked case (91350100M000100Y4, M = 21 and Y = 30 in this alphabet):
 * 9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + 21·20 + 0·29 + 0·25 + 0·13 + 1·8
 * + 0·24 + 0·10 + 30·30 + 4·28 = 1640; 1640 mod 31 = 28; 31 - 28 = 3, so `3`.
 *
 * @param first17 Seventeen characters from the GB 32100 alphabet.
 * @throws TypeError if `first17` is not 17 characters from that alphabet.
 * @example
 * usccCheckChar('91350100M000100Y4') // '3'
 */
export function usccCheckChar(first17: string): string {
  if (typeof first17 !== 'string' || first17.length !== 17 || !inAlphabet(first17)) {
    throw new TypeError('usccCheckChar expects 17 characters from 0123456789ABCDEFGHJKLMNPQRTUWXY')
  }
  let sum = 0
  for (let i = 0; i < 17; i++) {
    sum += alphabetIndex(first17.charAt(i)) * (USCC_WEIGHTS[i] ?? 0)
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31)
}

/**
 * Builds a unified social credit code (GB 32100-2015) from its parts, computing both the
 * organisation code check character (position 17, GB 11714-1997) and the code's own check
 * character (position 18).
 *
 * @param authority One character of the GB 32100 alphabet, e.g. `9` (工商/市场监管).
 * @param category One character of the GB 32100 alphabet, e.g. `1` (企业 under `9`).
 * @param adminCode Six-digit administrative division code.
 * @param orgBody8 The organisation code's eight body characters, from the GB 32100 alphabet.
 * @throws TypeError on any argument outside those sets.
 * @example
 * makeUscc('9', '1', '350100', 'M000100Y') // '91350100M000100Y43'
 */
export function makeUscc(authority: string, category: string, adminCode: string, orgBody8: string): string {
  if (typeof authority !== 'string' || alphabetIndex(authority) < 0) {
    throw new TypeError('makeUscc expects a one-character registration authority code')
  }
  if (typeof category !== 'string' || alphabetIndex(category) < 0) {
    throw new TypeError('makeUscc expects a one-character organisation category code')
  }
  if (typeof adminCode !== 'string' || !ADMIN_CODE.test(adminCode)) {
    throw new TypeError('makeUscc expects a six-digit administrative division code')
  }
  if (typeof orgBody8 !== 'string' || orgBody8.length !== 8 || !inAlphabet(orgBody8)) {
    throw new TypeError('makeUscc expects eight organisation code characters from the GB 32100 alphabet')
  }
  const first17 = authority + category + adminCode + orgBody8 + organizationCodeCheckChar(orgBody8)
  return first17 + usccCheckChar(first17)
}

/** The parts of a valid unified social credit code. */
export interface UsccParts {
  /** Registration authority code (position 1). */
  authority: string
  /** Organisation category code (position 2). */
  category: string
  /** Administrative division code (positions 3-8). */
  adminCode: string
  /** The nine-character GB 11714-1997 organisation code, check character included (positions 9-17). */
  organizationCode: string
}

/**
 * Splits a valid unified social credit code into its parts, or returns `null` if
 * {@link isValidUscc} would reject it.
 *
 * @example
 * parseUscc('91350100M000100Y43')
 * // { authority: '9', category: '1', adminCode: '350100', organizationCode: 'M000100Y4' }
 * parseUscc('91350100M000100Y44') // null
 */
export function parseUscc(value: string): UsccParts | null {
  if (typeof value !== 'string' || value.length !== 18 || !inAlphabet(value)) return null
  const adminCode = value.slice(2, 8)
  if (!ADMIN_CODE.test(adminCode)) return null
  const organizationCode = value.slice(8, 17)
  if (organizationCodeCheckChar(organizationCode.slice(0, 8)) !== organizationCode.charAt(8)) return null
  if (usccCheckChar(value.slice(0, 17)) !== value.charAt(17)) return null
  return { authority: value.charAt(0), category: value.charAt(1), adminCode, organizationCode }
}

/**
 * Whether `value` is a well-formed unified social credit code: 18 characters from the
 * GB 32100 alphabet (uppercase only), a six-digit administrative division code, a correct
 * GB 11714-1997 organisation code check character at position 17 and a correct GB 32100-2015
 * check character at position 18.
 *
 * @example
 * isValidUscc('91350100M000100Y43') // true
 * isValidUscc('91350100M000100Y44') // false (check character)
 * isValidUscc('91350100m000100y43') // false (lowercase)
 */
export function isValidUscc(value: string): boolean {
  return parseUscc(value) !== null
}

/**
 * What is wrong with `value` as a unified social credit code, as a fixed rule text that never
 * quotes it; undefined when it is valid. A code of the right structure with a wrong check
 * character is told apart (the usual typo), position 17 from position 18.
 *
 * @example
 * usccProblem('91350100M000100Y43') // undefined
 * usccProblem('91350100M000100Y44') // 'The check digit (position 18) of the unified social credit code is invalid (GB 32100-2015)'
 * usccProblem('91350100M000100Y53') // 'The organisation code's check digit (position 17) of the unified social credit code is invalid (GB 11714-1997)'
 */
export function usccProblem(value: string): string | undefined {
  if (isValidUscc(value)) return undefined
  if (typeof value !== 'string' || value.length !== 18 || !inAlphabet(value) || !ADMIN_CODE.test(value.slice(2, 8))) return 'Not a unified social credit code (GB 32100-2015)'
  return isUsccShaped(value)
    ? 'The check digit (position 18) of the unified social credit code is invalid (GB 32100-2015)'
    : 'The organisation code\'s check digit (position 17) of the unified social credit code is invalid (GB 11714-1997)'
}

/**
 * Whether `value` has the structure of a unified social credit code whatever its own check
 * character says: 17 characters (the check character dropped) or 18 (a wrong one) of the
 * GB 32100 alphabet, a six-digit administrative division code at positions 3-8, and a valid
 * GB 11714-1997 organisation code at positions 9-17. Position 18 can be recomputed from the rest,
 * so such a code identifies its enterprise as well as a valid one (release scans use this).
 *
 * @example
 * isUsccShaped('91350100M000100Y43') // true (valid)
 * isUsccShaped('91350100M000100Y44') // true (wrong check character)
 * isUsccShaped('91350100M000100Y4')  // true (check character dropped)
 * isUsccShaped('91350100M000100Y53') // false (organisation code check)
 */
export function isUsccShaped(value: string): boolean {
  if (typeof value !== 'string' || (value.length !== 17 && value.length !== 18) || !inAlphabet(value)) return false
  if (!ADMIN_CODE.test(value.slice(2, 8))) return false
  const body = value.slice(8, 16)
  return ORG_BODY.test(body) && organizationCodeCheckChar(body) === value.charAt(16)
}
