/**
 * Citizen identity number (公民身份号码), GB 11643-1999.
 *
 * The 18-character form is, per GB 11643-1999:
 *
 * | positions | meaning                                                      |
 * |-----------|--------------------------------------------------------------|
 * | 1-6       | address code (地址码), an administrative division code (GB/T 2260) |
 * | 7-14      | date of birth (出生日期码), YYYYMMDD (GB/T 7408)                 |
 * | 15-17     | sequence code (顺序码); the 17th digit is odd for men, even for women |
 * | 18        | check character (校验码), ISO 7064:1983 MOD 11-2, `0`-`9` or `X`  |
 *
 * The 15-digit form issued before GB 11643-1999 (GB 11643-1989) has the same address
 * code, a six-digit date YYMMDD meaning 19YY, a three-digit sequence code, and no check
 * character.
 *
 * Pure TypeScript, no imports: this file also runs in the sandbox.
 */

/** ISO 7064 MOD 11-2 weights W(i) = 2^(18-i) mod 11 for positions 1-17. */
const WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/** Check character indexed by (Σ a(i)·W(i)) mod 11 (GB 11643-1999; 10 is written `X`). */
const CHECK_CHARS = '10X98765432'

/**
 * First two digits of the address code: the provincial-level divisions of GB/T 2260
 * (11-15 华北, 21-23 东北, 31-37 华东, 41-46 中南, 50-54 西南, 61-65 西北,
 * 71 台湾, 81 香港, 82 澳门).
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
])

const DIGITS_17 = /^\d{17}$/
const FORM_18 = /^(\d{6})(\d{8})(\d{3})([0-9X])$/
const FORM_15 = /^(\d{6})(\d{6})(\d{3})$/
const ADMIN_CODE = /^\d{6}$/
const BIRTH = /^\d{8}$/

/** Gregorian leap year rule. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Days in `month` (1-12) of `year`. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/**
 * Whether an eight-digit YYYYMMDD string is a real calendar date between 1900-01-01 and
 * 2099-12-31 (the range this module accepts for the 18-character form).
 */
function isValidBirth(yyyymmdd: string): boolean {
  if (!BIRTH.test(yyyymmdd)) return false
  const year = Number(yyyymmdd.slice(0, 4))
  const month = Number(yyyymmdd.slice(4, 6))
  const day = Number(yyyymmdd.slice(6, 8))
  if (year < 1900 || year > 2099) return false
  if (month < 1 || month > 12) return false
  return day >= 1 && day <= daysInMonth(year, month)
}

/** Whether a six-digit address code starts with a provincial-level code of GB/T 2260. */
function isValidAdminCode(adminCode: string): boolean {
  return ADMIN_CODE.test(adminCode) && PROVINCE_CODES.has(adminCode.slice(0, 2))
}

/**
 * The check character of an 18-character citizen identity number, computed from its first
 * 17 digits with ISO 7064 MOD 11-2 as GB 11643-1999 prescribes:
 * S = Σ a(i)·W(i) with W = 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2, then the check is
 * `'10X98765432'[S mod 11]`.
 *
 * Worked case (the specimen number of GB 11643-1999, 11010519491231002X):
 * 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5
 * + 0·8 + 0·4 + 2·2 = 167; 167 mod 11 = 2; `'10X98765432'[2]` = `X`.
 *
 * @param first17 Exactly 17 ASCII digits.
 * @returns One of `0`-`9` or `X` (uppercase).
 * @throws TypeError if `first17` is not 17 digits (a programming error, not bad data).
 * @example
 * residentIdCheckDigit('11010519491231002') // 'X'
 * residentIdCheckDigit('44052418800101001') // '4'
 */
export function residentIdCheckDigit(first17: string): string {
  if (typeof first17 !== 'string' || !DIGITS_17.test(first17)) {
    throw new TypeError('residentIdCheckDigit expects exactly 17 digits')
  }
  let sum = 0
  for (let i = 0; i < 17; i++) {
    sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0)
  }
  return CHECK_CHARS.charAt(sum % 11)
}

/**
 * Builds an 18-character citizen identity number (GB 11643-1999) from its parts and
 * appends the MOD 11-2 check character.
 *
 * @param adminCode Six-digit address code whose first two digits are a provincial code.
 * @param birth Date of birth as YYYYMMDD, a real date from 1900-01-01 to 2099-12-31.
 * @param sequence Sequence code 0-999 (odd for men, even for women); zero-padded to 3 digits.
 * @throws TypeError on any argument outside those ranges.
 * @example
 * makeResidentId('110105', '19491231', 2) // '11010519491231002X'
 */
export function makeResidentId(adminCode: string, birth: string, sequence: number): string {
  if (typeof adminCode !== 'string' || !isValidAdminCode(adminCode)) {
    throw new TypeError('makeResidentId expects a six-digit address code with a valid province code')
  }
  if (typeof birth !== 'string' || !isValidBirth(birth)) {
    throw new TypeError('makeResidentId expects a YYYYMMDD date between 1900-01-01 and 2099-12-31')
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new TypeError('makeResidentId expects an integer sequence from 0 to 999')
  }
  const first17 = adminCode + birth + String(sequence).padStart(3, '0')
  return first17 + residentIdCheckDigit(first17)
}

/**
 * Whether `value` is a well-formed citizen identity number.
 *
 * 18-character form (GB 11643-1999): address code with a valid provincial prefix, a real
 * calendar date from 1900-01-01 to 2099-12-31, three-digit sequence, and the correct
 * MOD 11-2 check character. Only uppercase `X` is accepted: callers normalise case.
 *
 * 15-digit form (GB 11643-1989): address code with a valid provincial prefix and a real
 * date YYMMDD read as 19YY; there is no check character to verify.
 *
 * @example
 * isValidResidentId('11010519491231002X') // true
 * isValidResidentId('11010519491231002x') // false (lowercase)
 * isValidResidentId('110105491231002')    // true  (15-digit form)
 * isValidResidentId('110105199902300011') // false (30 February)
 */
export function isValidResidentId(value: string): boolean {
  return parseResidentId(value) !== null
}

/**
 * What is wrong with `value` as a citizen identity number, as a fixed rule text that never quotes
 * it; undefined when it is valid. A wrong check digit (the usual typo) is told apart from an
 * address code or a date of birth that cannot be.
 *
 * @example
 * residentIdProblem('11010519491231002X') // undefined
 * residentIdProblem('110105194912310021') // 'The check digit (position 18) of the resident ID number is invalid (GB 11643-1999)'
 * residentIdProblem('110105199902300011') // 'The address code or the date of birth of the resident ID number is not valid (GB 11643-1999)'
 */
export function residentIdProblem(value: string): string | undefined {
  if (isValidResidentId(value)) return undefined
  const long = typeof value === 'string' ? FORM_18.exec(value) : null
  if (long !== null && residentIdCheckDigit(value.slice(0, 17)) !== long[4]) return 'The check digit (position 18) of the resident ID number is invalid (GB 11643-1999)'
  return long !== null || FORM_15.test(value) ? 'The address code or the date of birth of the resident ID number is not valid (GB 11643-1999)' : 'Not a resident ID number (GB 11643-1999)'
}

/** The parts of a valid citizen identity number. */
export interface ResidentIdParts {
  /** Six-digit address code (positions 1-6). */
  adminCode: string
  /** Date of birth as YYYY-MM-DD (the 15-digit form's YY is read as 19YY). */
  birthDate: string
  /** From the parity of the sequence code's last digit: odd is male. */
  sex: 'male' | 'female'
  /** Which form the value was written in. */
  form: 18 | 15
}

/**
 * Splits a valid citizen identity number into its parts, or returns `null` if
 * {@link isValidResidentId} would reject it.
 *
 * @example
 * parseResidentId('11010519491231002X')
 * // { adminCode: '110105', birthDate: '1949-12-31', sex: 'female', form: 18 }
 * parseResidentId('110105491231001')
 * // { adminCode: '110105', birthDate: '1949-12-31', sex: 'male', form: 15 }
 * parseResidentId('11010519491231002x') // null
 */
export function parseResidentId(value: string): ResidentIdParts | null {
  if (typeof value !== 'string') return null
  let adminCode: string
  let birth: string
  let sequence: string
  let form: 18 | 15
  const long = FORM_18.exec(value)
  if (long !== null) {
    adminCode = long[1] ?? ''
    birth = long[2] ?? ''
    sequence = long[3] ?? ''
    form = 18
    if (residentIdCheckDigit(value.slice(0, 17)) !== long[4]) return null
  } else {
    const short = FORM_15.exec(value)
    if (short === null) return null
    adminCode = short[1] ?? ''
    birth = '19' + (short[2] ?? '')
    sequence = short[3] ?? ''
    form = 15
  }
  if (!isValidAdminCode(adminCode) || !isValidBirth(birth)) return null
  const lastSequenceDigit = sequence.charCodeAt(2) - 48
  return {
    adminCode,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: lastSequenceDigit % 2 === 1 ? 'male' : 'female',
    form,
  }
}

/**
 * Whether `value` has the structure of an 18-character citizen identity number whatever its
 * check character says: 17 digits (a dropped check character) or 17 digits and any of `0`-`9`
 * `X` (a wrong one), with a real provincial address code and a real date of birth. The check
 * character can be recomputed from the first 17 digits, so a number written with a wrong or
 * missing one identifies its holder just as well (release scans use this, not validity).
 *
 * @example
 * isResidentIdShaped('11010519491231002X') // true (valid)
 * isResidentIdShaped('110105194912310021') // true (wrong check character)
 * isResidentIdShaped('11010519491231002')  // true (check character dropped)
 * isResidentIdShaped('110105194913310021') // false (month 13)
 */
export function isResidentIdShaped(value: string): boolean {
  if (typeof value !== 'string' || (value.length !== 17 && value.length !== 18)) return false
  if (!DIGITS_17.test(value.slice(0, 17))) return false
  if (value.length === 18 && !/^[0-9X]$/.test(value.charAt(17))) return false
  return isValidAdminCode(value.slice(0, 6)) && isValidBirth(value.slice(6, 14))
}
