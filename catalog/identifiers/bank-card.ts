/**
 * Bank card numbers (primary account numbers, PAN), ISO/IEC 7812-1.
 *
 * A PAN is an issuer identification number (IIN, the first six digits; China UnionPay's
 * start with `62`), an individual account number, and a final check digit computed with
 * the Luhn formula (ISO/IEC 7812-1 Annex B). Cards issued in mainland China are 16 to 19
 * digits long; any IIN is accepted here.
 *
 * Pure TypeScript, no imports: this file also runs in the sandbox.
 */

const DIGITS = /^\d+$/
const CARD = /^\d{16,19}$/
const PREFIX_6 = /^\d{6}$/

/**
 * Luhn sum of `digits`, doubling every second digit from the right. The rightmost digit is
 * doubled when it is the last payload digit (`doubleRightmost`), not when it is a check digit.
 */
function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0
  let double = doubleRightmost
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum
}

/**
 * The Luhn check digit (ISO/IEC 7812-1 Annex B) to append to `payload`: starting from the
 * rightmost payload digit, every second digit is doubled (subtracting 9 when the result
 * exceeds 9), all digits are summed, and the check digit is (10 - sum mod 10) mod 10.
 *
 * Worked case (payload 411111111111111): fifteen digits, doubled from the right at
 * positions 1, 3, ..., 15 → 4·2 = 8 and seven 1·2 = 2s; undoubled: seven 1s.
 * 8 + 14 + 7 = 29; (10 - 9) mod 10 = 1, giving 4111111111111111.
 *
 * @param payload One or more ASCII digits.
 * @throws TypeError if `payload` is empty or has a non-digit.
 * @example
 * luhnCheckDigit('411111111111111') // '1'
 * luhnCheckDigit('620000000000000') // '5'
 */
export function luhnCheckDigit(payload: string): string {
  if (typeof payload !== 'string' || !DIGITS.test(payload)) {
    throw new TypeError('luhnCheckDigit expects one or more digits')
  }
  return String((10 - (luhnSum(payload, true) % 10)) % 10)
}

/**
 * Whether `value` is a 16- to 19-digit card number whose last digit is its Luhn check digit.
 * The IIN is not checked against any issuer table.
 *
 * @example
 * isValidBankCard('6200000000000005') // true  (UnionPay IIN 62)
 * isValidBankCard('6200000000000006') // false (check digit)
 * isValidBankCard('620000000005')     // false (too short)
 */
export function isValidBankCard(value: string): boolean {
  if (typeof value !== 'string' || !CARD.test(value)) return false
  return luhnSum(value, false) % 10 === 0
}

/**
 * Builds a Luhn-valid card number: `prefix6 + body + check digit`. The total length
 * (7 + body length) must be 16 to 19, so `body` has 9 to 12 digits.
 *
 * @param prefix6 The six-digit IIN, e.g. `622202`.
 * @param body The individual account digits.
 * @throws TypeError if `prefix6` is not six digits, `body` is not digits, or the length is out of range.
 * @example
 * makeBankCard('620000', '000000000') // '6200000000000005'
 */
export function makeBankCard(prefix6: string, body: string): string {
  if (typeof prefix6 !== 'string' || !PREFIX_6.test(prefix6)) {
    throw new TypeError('makeBankCard expects a six-digit issuer identification number')
  }
  if (typeof body !== 'string' || !DIGITS.test(body) || body.length < 9 || body.length > 12) {
    throw new TypeError('makeBankCard expects 9 to 12 body digits (a 16- to 19-digit card)')
  }
  const payload = prefix6 + body
  return payload + luhnCheckDigit(payload)
}
