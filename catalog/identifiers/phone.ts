/**
 * Mainland China mobile numbers (移动电话号码).
 *
 * Under the MIIT numbering plan (电信网编号计划, 2017 edition) a public mobile number is 11
 * digits: a three-digit network segment (号段, `13x`-`19x`) followed by an eight-digit
 * subscriber number (the first four digits of which are the HLR code, H0H1H2H3).
 *
 * Pure TypeScript, no imports: this file also runs in the sandbox.
 */

const MOBILE = /^1[3-9]\d{9}$/
const SUBSCRIBER_8 = /^\d{8}$/

/**
 * Three-digit segments allocated to mainland carriers for 11-digit mobile numbers (China
 * Mobile, China Unicom, China Telecom, China Broadnet, including the mobile virtual network
 * segments 162/165/167/170/171 and the data-card segments 145/147/149). Unallocated
 * segments such as 154 and the 13-digit IoT segments (140-144, 146, 148) are absent.
 *
 * @example
 * MOBILE_PREFIXES.includes('138') // true
 * MOBILE_PREFIXES.includes('154') // false
 */
export const MOBILE_PREFIXES: readonly string[] = Object.freeze([
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '145', '147', '149',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '162', '165', '166', '167',
  '170', '171', '172', '173', '175', '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '190', '191', '192', '193', '195', '196', '197', '198', '199',
])

/**
 * Whether `value` has the shape of a mainland mobile number: 11 digits, `1`, then `3`-`9`
 * (`^1[3-9]\d{9}$`). The segment is not checked against {@link MOBILE_PREFIXES}, so a
 * number in a newly allocated segment still passes; no `+86` or separators are accepted
 * (callers normalise).
 *
 * @example
 * isValidMobile('13800138000') // true
 * isValidMobile('12800138000') // false (second digit)
 * isValidMobile('+8613800138000') // false (callers strip the country code)
 */
export function isValidMobile(value: string): boolean {
  return typeof value === 'string' && MOBILE.test(value)
}

/**
 * Builds a mobile number from an allocated segment and an eight-digit subscriber number.
 *
 * @param prefix3 One of {@link MOBILE_PREFIXES}.
 * @param subscriber8 Eight digits.
 * @throws TypeError if `prefix3` is not an allocated segment or `subscriber8` is not eight digits.
 * @example
 * makeMobile('138', '00138000') // '13800138000'
 */
export function makeMobile(prefix3: string, subscriber8: string): string {
  if (typeof prefix3 !== 'string' || !MOBILE_PREFIXES.includes(prefix3)) {
    throw new TypeError('makeMobile expects an allocated three-digit mobile segment')
  }
  if (typeof subscriber8 !== 'string' || !SUBSCRIBER_8.test(subscriber8)) {
    throw new TypeError('makeMobile expects an eight-digit subscriber number')
  }
  return prefix3 + subscriber8
}
