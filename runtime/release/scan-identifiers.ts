/**
 * Direct-identifier detection in the exact text about to be signed (docs/disclosure-control.md: "no direct
 * identifiers (resident ID, USCC, phone, bank card with their check digits)").
 *
 * The scan runs on a normalized copy of the text so that formatting cannot hide an identifier,
 * and keeps, for every normalized character, the range of the original text it came from, so
 * that a hit is reported as offsets into the original. A hit never carries the matched value: a
 * refusal is itself an output, and callers must not echo data.
 *
 * What the scan is for: accidental and format-level leaks (a phone number written with dashes,
 * an ID with full-width digits, a card number JSON-escaped). It is not a defence against a
 * partner who deliberately encodes an identifier (base64, arithmetic, one digit per field); the
 * scenario approval and masking are that defence.
 *
 * Pure and linear in the length of the text. All check-digit logic is the catalog's
 * (`catalog/identifiers/`); this file only finds candidates and normalizes them.
 */
import { isResidentIdShaped, isUsccShaped, isValidBankCard, isValidMobile, isValidPlate, isValidUscc, parseResidentId, PROVINCE_ABBREVIATIONS } from '../../catalog/identifiers/index.ts'

/**
 * One direct identifier found by {@link findIdentifiers}: what kind it is and where it is, as
 * UTF-16 offsets into the original text (`start` inclusive, `end` exclusive). The span covers
 * every original character the identifier was read from, separators and escapes included (and a
 * leading `+` of a `+86` mobile number), so `text.slice(start, end)` is what a redaction would
 * remove. The matched value itself is deliberately absent.
 *
 * Kinds:
 * - `resident_id`: citizen identity number of GB 11643-1999 by its structure: 17 digits with a real
 *   province and a real date of birth, then a check character that may be right, wrong or missing
 *   (it can be recomputed, so a wrong one hides nothing).
 * - `resident_id_15`: 15-digit identity number of GB 11643-1989 (real province prefix, real date
 *   19YYMMDD; this form has no check digit).
 * - `uscc`: unified social credit code, GB 32100-2015 by its structure: a valid GB 11714-1997
 *   organisation code inside, the code's own check character right, wrong or missing.
 * - `mobile`: mainland mobile number, `1[3-9]` and nine digits, optionally after `+86`, `0086` or `86`.
 * - `bank_card`: 16- to 19-digit PAN, ISO/IEC 7812-1 Luhn valid, with the issuer prefix of a card scheme.
 * - `plate`: civilian motor vehicle plate, GA 36-2018.
 *
 * @example
 * const hit: IdentifierHit = { kind: 'mobile', start: 10, end: 23 }
 */
export type IdentifierHit = {
  readonly kind: 'resident_id' | 'resident_id_15' | 'uscc' | 'mobile' | 'bank_card' | 'plate'
  readonly start: number
  readonly end: number
}

type Kind = IdentifierHit['kind']

// ---------------------------------------------------------------------------------------------
// Character classes of the normalized text (one table lookup per character keeps the scan linear
// and branch-light: a 256 KB output is a quarter of a million lookups).

const OTHER = 0
const DIGIT = 1
const LETTER = 2
const SEPARATOR = 3
const PROVINCE = 4

const CHAR_CLASS = new Uint8Array(0x10000)
for (let c = 0x30; c <= 0x39; c++) CHAR_CLASS[c] = DIGIT
for (let c = 0x41; c <= 0x5a; c++) CHAR_CLASS[c] = LETTER
for (let c = 0x61; c <= 0x7a; c++) CHAR_CLASS[c] = LETTER
/**
 * Characters skipped between two digits of a run. The brief's set (space, U+3000 ideographic
 * space, `-`, `.`, `_`, `/`, U+00A0) plus other characters that only format: the middle dots
 * U+00B7 and U+30FB (`京A·12345`, `138·0013·8000`), Unicode dashes U+2010-U+2015 and minus
 * U+2212, the typographic spaces U+2000-U+200A, U+202F, U+205F, and the invisible U+00AD,
 * U+200B-U+200D, U+2060, U+FEFF (a zero-width space must not split a phone number). Tab and line
 * breaks are not separators: they separate fields. Full-width `－．／＿` map to ASCII first.
 */
const SEPARATOR_CODES: readonly number[] = [
  0x20, 0x2d, 0x2e, 0x2f, 0x5f, 0xa0, 0xad, 0xb7, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200a, 0x200b, 0x200c, 0x200d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x202f, 0x205f,
  0x2060, 0x2212, 0x3000, 0x30fb, 0xfeff,
]
for (const c of SEPARATOR_CODES) CHAR_CLASS[c] = SEPARATOR
// Every abbreviation is one BMP character (checked by the catalog's own tests of isValidPlate).
for (const p of PROVINCE_ABBREVIATIONS) CHAR_CLASS[p.charCodeAt(0)] = PROVINCE

const PLUS = 0x2b
const DOT = 0x2e
const BACKSLASH = 0x5c
const UPPER_X = 0x58
const LOWER_X = 0x78

/** A digit run longer than this cannot be any identifier; only its length is tracked beyond it. */
const MAX_IDENTIFIER_DIGITS = 19

// ---------------------------------------------------------------------------------------------
// Normalization

/**
 * The normalized text: `codes[i]` is the i-th normalized UTF-16 code unit and it was read from
 * the original range `[origin[i], origin[i + 1])`. Every original character belongs to exactly
 * one normalized character (an escape is one character), so the ranges tile the original text.
 */
type Normalized = { readonly codes: Uint16Array; readonly origin: Int32Array; readonly length: number }

/** Value of one hexadecimal digit, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/** The code unit of four hexadecimal digits at `at`, or -1. */
function hex4(text: string, at: number): number {
  const a = hexValue(text.charCodeAt(at))
  const b = hexValue(text.charCodeAt(at + 1))
  const c = hexValue(text.charCodeAt(at + 2))
  const d = hexValue(text.charCodeAt(at + 3))
  return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d
}

/** The character a one-letter JSON escape (RFC 8259 §7) stands for, or -1. */
function simpleEscape(c: number): number {
  switch (c) {
    case 0x22: return 0x22 // \"
    case 0x2f: return 0x2f // \/
    case 0x62: return 0x08 // \b
    case 0x66: return 0x0c // \f
    case 0x6e: return 0x0a // \n
    case 0x72: return 0x0d // \r
    case 0x74: return 0x09 // \t
    default: return -1
  }
}

/**
 * Decodes JSON escapes and folds full-width forms, keeping the origin of every character.
 *
 * - `\uXXXX` is decoded whatever the number of backslashes before it, so that double-encoding
 *   (`\\u0031`, which a consumer that decodes twice reads as `1`) cannot hide a digit either;
 *   other escapes follow RFC 8259 (`\\` is one backslash, `\n` a line break, `\/` a slash).
 * - Full-width ASCII forms U+FF01-U+FF5E (`０-９`, `Ａ-Ｚ`, `ａ-ｚ`, `＋`, `－` ...) become ASCII,
 *   also when they were escaped (`\uff11` is `1`).
 */
function normalize(text: string): Normalized {
  const length = text.length
  const codes = new Uint16Array(length)
  const origin = new Int32Array(length + 1)
  let n = 0
  let i = 0
  while (i < length) {
    let c = text.charCodeAt(i)
    let next = i + 1
    if (c === BACKSLASH) {
      let j = next
      while (j < length && text.charCodeAt(j) === BACKSLASH) j++
      const unicode = j + 4 < length && text.charCodeAt(j) === 0x75 ? hex4(text, j + 1) : -1
      if (unicode >= 0) {
        c = unicode
        next = j + 5
      } else if (j - i >= 2) {
        // pairs of backslashes are literal backslashes; an odd one left escapes the next character
        next = i + ((j - i) & ~1)
      } else if (j < length) {
        const decoded = simpleEscape(text.charCodeAt(j))
        if (decoded >= 0) {
          c = decoded
          next = j + 1
        }
      }
    }
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0
    codes[n] = c
    origin[n] = i
    n++
    i = next
  }
  origin[n] = length
  return { codes, origin, length: n }
}

// ---------------------------------------------------------------------------------------------
// Classification of candidates (all check-digit logic is the catalog's)

/**
 * Issuer prefixes of the card schemes whose cards circulate in China (ISO/IEC 7812-1 IIN ranges as
 * the schemes publish them): UnionPay 62, Visa 4, Mastercard 51-55 and 2221-2720, American Express
 * 34 and 37, JCB 35, Discover 6011 and 65. Luhn alone passes one random digit string in ten; the
 * prefix cuts false positives on order numbers, snowflake IDs and other long numbers.
 */
function hasCardSchemePrefix(digits: string): boolean {
  const two = (digits.charCodeAt(0) - 48) * 10 + (digits.charCodeAt(1) - 48)
  if (two >= 40 && two <= 49) return true
  if (two === 62 || two === 65 || two === 34 || two === 35 || two === 37) return true
  if (two >= 51 && two <= 55) return true
  const four = two * 100 + (digits.charCodeAt(2) - 48) * 10 + (digits.charCodeAt(3) - 48)
  return four === 6011 || (four >= 2221 && four <= 2720)
}

/** The kind of identifier a whole run of digits is, or null. */
function classifyDigits(digits: string): Kind | null {
  const length = digits.length
  if (length === 11) return isValidMobile(digits) ? 'mobile' : null
  if (length === 13) return digits.startsWith('86') && isValidMobile(digits.slice(2)) ? 'mobile' : null
  if (length === 15) {
    if (parseResidentId(digits) !== null) return 'resident_id_15'
    return digits.startsWith('0086') && isValidMobile(digits.slice(4)) ? 'mobile' : null
  }
  // 17 and 18 characters: by structure, not by check character, which can be recomputed (a
  // wrong or dropped one, or one lost when an ID is written as a JSON number, hides nothing)
  if ((length === 17 || length === 18) && isResidentIdShaped(digits)) return 'resident_id'
  if (length === 18 && isValidUscc(digits)) return 'uscc'
  if (length >= 16 && length <= 19 && isValidBankCard(digits) && hasCardSchemePrefix(digits)) return 'bank_card'
  if ((length === 17 || length === 18) && isUsccShaped(digits)) return 'uscc'
  return null
}

/** The digits of the normalized range `[first, last]`, separators left out. */
function digitsOf(codes: Uint16Array, first: number, last: number): string {
  let digits = ''
  for (let k = first; k <= last; k++) {
    if (CHAR_CLASS[codes[k]!] === DIGIT) digits += String.fromCharCode(codes[k]!)
  }
  return digits
}

/**
 * Whether the letter at `at` starts the exponent of a number in scientific notation (`e`/`E`,
 * an optional sign, then only digits up to the next non-alphanumeric): `1.1010519491231002e+17`
 * is an ID written as a number, and its mantissa is a candidate like any digit run.
 */
function isExponent(codes: Uint16Array, length: number, at: number): boolean {
  const c = codes[at]!
  if (c !== 0x45 && c !== 0x65) return false
  let k = at + 1
  if (k < length && (codes[k] === PLUS || codes[k] === 0x2d)) k++
  const digits = k
  while (k < length && CHAR_CLASS[codes[k]!] === DIGIT) k++
  return k > digits && !isAlphanumeric(codes, length, k)
}

function isAlphanumeric(codes: Uint16Array, length: number, at: number): boolean {
  if (at < 0 || at >= length) return false
  const k = CHAR_CLASS[codes[at]!]
  return k === DIGIT || k === LETTER
}

// ---------------------------------------------------------------------------------------------
// The scan

/**
 * Classifies the digits `[first, last]` (count of them: `count`) of one candidate and records a
 * hit. A candidate glued to a letter (hex digests, `p_…` pseudonyms) is no identifier, except a
 * resident ID (its structure is specific; `ID110…` is one) and its check character `X`/`x`.
 * Returns whether a hit was recorded.
 */
function classifyCandidate(text: Normalized, first: number, last: number, count: number, hits: IdentifierHit[]): boolean {
  const { codes, origin, length } = text
  if (count < 11 || count > MAX_IDENTIFIER_DIGITS) return false
  const after = last + 1
  const gluedBefore = first > 0 && CHAR_CLASS[codes[first - 1]!] === LETTER
  const gluedAfter = after < length && CHAR_CLASS[codes[after]!] === LETTER && !isExponent(codes, length, after)
  if (gluedAfter && count === 17 && (codes[after] === UPPER_X || codes[after] === LOWER_X) && isResidentIdShaped(digitsOf(codes, first, last) + 'X')) {
    // GB 11643-1999 check character 10 is written X; a lower-case x is the same character
    hits.push({ kind: 'resident_id', start: origin[first]!, end: origin[after + 1]! })
    return true
  }
  const kind = classifyDigits(digitsOf(codes, first, last))
  if (kind === null) return false
  // a run glued to letters (hex digests, `p_…` pseudonyms, codes) is no mobile, card or USCC; a
  // resident ID's structure (province, real date) is specific enough to be one wherever it stands
  // (`ID110101…`, `0x110101…`)
  if ((gluedBefore || gluedAfter) && kind !== 'resident_id') return false
  // the + of +86 belongs to the number (a 13- or 15-digit mobile carries a country code)
  const start = kind === 'mobile' && count > 11 && first > 0 && codes[first - 1] === PLUS ? first - 1 : first
  hits.push({ kind, start: origin[start]!, end: origin[after]! })
  return true
}

/**
 * Scans the digit run that starts at `first`: digits, with separator sequences between two
 * digits skipped. Returns the index after its last digit.
 *
 * The run is taken whole: an 18-digit ID is not also a mobile inside it, a 20-digit run is not an
 * ID. Only when the whole run is no identifier, each separator-free group of it is tried on its
 * own (a contiguous digit string is never split), so that `2025-12-31 13800138000` or
 * `No. 3 110101199003077774` still find the phone number and the ID.
 */
function scanDigitRun(text: Normalized, first: number, hits: IdentifierHit[]): number {
  const { codes, length } = text
  let j = first
  let last = first
  let count = 0
  let groups = 0
  let longGroup = false
  let singleDots = 0
  for (;;) {
    const groupStart = j
    while (j < length && CHAR_CLASS[codes[j]!] === DIGIT) j++
    groups++
    if (j - groupStart >= 11) longGroup = true
    count += j - groupStart
    last = j - 1
    if (j >= length || CHAR_CLASS[codes[j]!] !== SEPARATOR) break
    let k = j + 1
    while (k < length && CHAR_CLASS[codes[k]!] === SEPARATOR) k++
    if (k >= length || CHAR_CLASS[codes[k]!] !== DIGIT) break
    if (k === j + 1 && codes[j] === DOT) singleDots++
    j = k
  }
  // a plain decimal (two groups, one dot, no exponent) is a number: its digits are not joined
  // (a double prints 17 significant digits, which would look like 17-digit codes), unless it is the
  // mantissa of scientific notation (an ID written as 1.1010519491231002e+17)
  const decimal = groups === 2 && singleDots === 1 && !(last + 1 < length && isExponent(codes, length, last + 1))
  if ((!decimal && classifyCandidate(text, first, last, count, hits)) || groups === 1 || !longGroup) return last + 1
  // fallback: every separator-free group of at least 11 digits on its own — of a plain decimal, its
  // integer part only (a fraction's digits are no code)
  let g = first
  while (g <= last) {
    if (decimal && g > first) break
    let e = g
    while (e <= last && CHAR_CLASS[codes[e]!] === DIGIT) e++
    if (e - g >= 11) classifyCandidate(text, g, e - 1, e - g, hits)
    while (e <= last && CHAR_CLASS[codes[e]!] !== DIGIT) e++
    g = e
  }
  return last + 1
}

/**
 * Tries a plate at the province character `at`: authority letter right after it, at most one
 * separator (`京A·12345`, `京A 12345`), then a serial of exactly 5 or 6 letters and digits not
 * followed by another one. Case is folded (`京a12345`).
 */
function scanPlate(text: Normalized, at: number, hits: IdentifierHit[]): void {
  const { codes, origin, length } = text
  const authority = at + 1
  if (authority >= length || CHAR_CLASS[codes[authority]!] !== LETTER) return
  let serialStart = authority + 1
  if (serialStart < length && CHAR_CLASS[codes[serialStart]!] === SEPARATOR) serialStart++
  let end = serialStart
  while (end < length && end - serialStart < 7 && isAlphanumeric(codes, length, end)) end++
  const serialLength = end - serialStart
  if (serialLength !== 5 && serialLength !== 6) return
  let plate = String.fromCharCode(codes[at]!, codes[authority]!)
  for (let k = serialStart; k < end; k++) plate += String.fromCharCode(codes[k]!)
  if (isValidPlate(plate.toUpperCase())) hits.push({ kind: 'plate', start: origin[at]!, end: origin[end]! })
}

/**
 * Tries every separator-free token of exactly 18 letters and digits with at least one letter as
 * a USCC (all-digit codes are found by the digit-run scan). Case is folded. A token already
 * reported (an ID ending in `X` can be USCC-shaped) is not reported twice.
 */
function scanUsccTokens(text: Normalized, reported: ReadonlySet<number>, hits: IdentifierHit[]): void {
  const { codes, origin, length } = text
  let start = -1
  let hasLetter = false
  for (let i = 0; i <= length; i++) {
    const k = i < length ? CHAR_CLASS[codes[i]!] : OTHER
    if (k === DIGIT || k === LETTER) {
      if (start < 0) start = i
      if (k === LETTER) hasLetter = true
      continue
    }
    if (start >= 0 && hasLetter && (i - start === 17 || i - start === 18) && !reported.has(origin[start]!)) {
      let token = ''
      for (let t = start; t < i; t++) token += String.fromCharCode(codes[t]!)
      if (isUsccShaped(token.toUpperCase())) hits.push({ kind: 'uscc', start: origin[start]!, end: origin[i]! })
    }
    start = -1
    hasLetter = false
  }
}

/**
 * Finds the direct identifiers in `text`, the exact (serialized JSON) text about to be signed,
 * and returns them in order of `start`, as offsets into `text` and never as values.
 *
 * Rules (each a check-digit or structure test from `catalog/identifiers/`):
 * - resident ID (GB 11643-1999): 17 digits with a real province prefix and date, and a check
 *   character or none: a wrong or dropped one is recomputable, and a JSON number (which keeps only
 *   the first 15-17 significant digits, or comes in scientific notation) keeps the structure. An `x`
 *   as 18th character counts as `X`. Old 15-digit form (GB 11643-1989): real province prefix and date.
 * - USCC (GB 32100-2015): 17 or 18 characters of the GB 32100 alphabet with a valid GB 11714
 *   organisation code at positions 9-17, case-insensitive; the last check character is not needed.
 * - mobile: a whole run of 11 digits `1[3-9]…`, optionally after `+86`, `0086` or `86`.
 * - bank card (ISO/IEC 7812-1): a whole run of 16-19 digits, Luhn valid, with a card-scheme
 *   issuer prefix (62 UnionPay, 4 Visa, 51-55 and 2221-2720 Mastercard, 34/37 Amex, 35 JCB,
 *   6011/65 Discover).
 * - plate (GA 36-2018): province abbreviation, authority letter, 5- or 6-character serial.
 *
 * Normalization, so that formatting cannot hide an identifier: JSON escapes decoded (also
 * double-escaped `\\uXXXX`), full-width forms folded to ASCII, and separators between digits
 * skipped (space, U+3000, `-`, `.`, `_`, `/`, U+00A0, middle dots, dashes, zero-width
 * characters), e.g. `110101 19900307 7777`, `138-0013-8000`, `+86 138 0013 8000`.
 *
 * A digit run is taken whole and must not be glued to a letter: `p_…` pseudonyms, hex digests,
 * dates and timestamps, amounts, scores and 20-digit runs are not identifiers. Known false
 * positives: an integer of 11 digits starting 13-19 (e.g. a sum of 15 000 000 000) is
 * mobile-shaped, and a decimal whose digits are (`139123456.78`); mobiles have no check digit; a
 * 17- or 18-digit number is USCC-shaped one time in eleven (its organisation-code check).
 *
 * Linear in `text.length`: a few milliseconds for 256 KB of JSON.
 *
 * @example
 * findIdentifiers('{"tel":"+86 138-0013-8000"}') // [{ kind: 'mobile', start: 8, end: 25 }]
 * findIdentifiers('{"id":"p_qwertyuiopasdfghjklz","at":"2025-12-31"}') // []
 */
export function findIdentifiers(text: string): IdentifierHit[] {
  const normalized = normalize(text)
  const { codes, length } = normalized
  const hits: IdentifierHit[] = []
  let i = 0
  while (i < length) {
    const k = CHAR_CLASS[codes[i]!]
    if (k === DIGIT) {
      i = scanDigitRun(normalized, i, hits)
      continue
    }
    if (k === PROVINCE) scanPlate(normalized, i, hits)
    i++
  }
  const reported = new Set<number>()
  for (const hit of hits) reported.add(hit.start)
  const before = hits.length
  scanUsccTokens(normalized, reported, hits)
  if (hits.length > before) hits.sort((a, b) => a.start - b.start || a.end - b.end)
  return hits
}
