/**
 * Motor vehicle number plates (机动车号牌) of mainland China, GA 36-2018.
 *
 * A plate number is the abbreviation of the province-level division (省、自治区、直辖市简称,
 * one Chinese character), the issuing authority code (发牌机关代号, one letter), and a serial
 * number (序号). Letters `I` and `O` are never used in the authority code or the serial,
 * where they would be confused with `1` and `0`.
 *
 * This module covers the civilian plates that carry only those parts:
 *
 * - ordinary plates (普通号牌): a five-character serial of digits and letters, at most two
 *   of which are letters, e.g. 皖N12345, 皖NA1B23;
 * - small new-energy vehicle plates (小型新能源汽车号牌): a six-character serial whose first
 *   character is the energy letter, whose second is a letter or digit and whose last four
 *   are digits, e.g. 皖ND12345, 沪ADA1234. GA 36-2018 uses `D` for pure electric and `F`
 *   for other new-energy vehicles; when those ranges filled up, `A`, `B`, `C`, `E` (pure
 *   electric) and `G`, `H`, `J`, `K` (other) were brought into use, and are accepted too;
 * - large new-energy vehicle plates (大型新能源汽车号牌): five digits followed by `D` or `F`,
 *   e.g. 京A12345D.
 *
 * Plates with a trailing special character (学, 警, 挂, 港, 澳, 领, 使, ...), military,
 * armed police and embassy plates are out of scope and rejected.
 *
 * Pure TypeScript, no imports: this file also runs in the sandbox.
 */

/**
 * The 31 one-character abbreviations of mainland province-level divisions used as the
 * first character of a plate (GA 36-2018).
 *
 * @example
 * PROVINCE_ABBREVIATIONS.includes('皖') // true
 * PROVINCE_ABBREVIATIONS.length         // 31
 */
export const PROVINCE_ABBREVIATIONS: readonly string[] = Object.freeze([
  '京', '津', '沪', '渝', '冀', '豫', '云', '辽', '黑', '湘', '皖', '鲁', '新', '苏', '浙', '赣',
  '鄂', '桂', '甘', '晋', '蒙', '陕', '吉', '闽', '贵', '粤', '青', '藏', '川', '宁', '琼',
])

/** One uppercase letter other than I and O: the issuing authority code. */
const AUTHORITY = /^[A-HJ-NP-Z]$/
/** Ordinary serial: five digits or letters other than I and O (the letter count is checked separately). */
const ORDINARY_SERIAL = /^[0-9A-HJ-NP-Z]{5}$/
/** Small new-energy serial: energy letter, a letter or digit, four digits. */
const SMALL_NEW_ENERGY_SERIAL = /^[DABCEFGHJK][0-9A-HJ-NP-Z]\d{4}$/
/** Large new-energy serial: five digits, then D (pure electric) or F (other). */
const LARGE_NEW_ENERGY_SERIAL = /^\d{5}[DF]$/
const LETTER = /[A-Z]/g

/** Whether `tail` is a serial number of one of the supported plate kinds. */
function isValidSerial(tail: string): boolean {
  if (tail.length === 5) {
    return ORDINARY_SERIAL.test(tail) && (tail.match(LETTER)?.length ?? 0) <= 2
  }
  if (tail.length === 6) {
    return SMALL_NEW_ENERGY_SERIAL.test(tail) || LARGE_NEW_ENERGY_SERIAL.test(tail)
  }
  return false
}

/**
 * Whether `value` is an ordinary or new-energy civilian plate number (GA 36-2018): a
 * province abbreviation from {@link PROVINCE_ABBREVIATIONS}, an authority letter (A-Z
 * without I and O), then a five-character ordinary serial (at most two letters) or a
 * six-character new-energy serial. No separators (`·`, spaces) and no lowercase letters
 * are accepted: callers normalise.
 *
 * @example
 * isValidPlate('皖N12345')  // true  (ordinary)
 * isValidPlate('皖NA1B23')  // true  (ordinary, two letters)
 * isValidPlate('皖ND12345') // true  (small new-energy)
 * isValidPlate('京A12345D') // true  (large new-energy)
 * isValidPlate('皖NI2345')  // false (letter I)
 * isValidPlate('皖NAB1C2')  // false (three letters)
 */
export function isValidPlate(value: string): boolean {
  if (typeof value !== 'string' || value.length < 7) return false
  // Every supported character is in the Basic Multilingual Plane, so UTF-16 indices are characters.
  return (
    PROVINCE_ABBREVIATIONS.includes(value.charAt(0)) &&
    AUTHORITY.test(value.charAt(1)) &&
    isValidSerial(value.slice(2))
  )
}

/**
 * Builds a plate number from its three parts, each checked on its own.
 *
 * @param province One of {@link PROVINCE_ABBREVIATIONS}.
 * @param authority The issuing authority letter (A-Z without I and O).
 * @param tail The serial number: five characters (ordinary) or six (new-energy).
 * @throws TypeError if any part is invalid, i.e. if the result would not pass {@link isValidPlate}.
 * @example
 * makePlate('皖', 'N', '12345')  // '皖N12345'
 * makePlate('皖', 'N', 'D12345') // '皖ND12345'
 */
export function makePlate(province: string, authority: string, tail: string): string {
  if (typeof province !== 'string' || !PROVINCE_ABBREVIATIONS.includes(province)) {
    throw new TypeError('makePlate expects one of the 31 province abbreviations')
  }
  if (typeof authority !== 'string' || !AUTHORITY.test(authority)) {
    throw new TypeError('makePlate expects an authority letter A-Z other than I and O')
  }
  if (typeof tail !== 'string' || !isValidSerial(tail)) {
    throw new TypeError('makePlate expects an ordinary or new-energy serial number')
  }
  return province + authority + tail
}
