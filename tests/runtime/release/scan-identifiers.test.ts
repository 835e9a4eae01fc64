import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  isValidBankCard,
  isValidPlate,
  isValidResidentId,
  isValidUscc,
  makeBankCard,
  makeMobile,
  makeResidentId,
  makeUscc,
  organizationCodeCheckChar,
} from '../../../catalog/identifiers/index.ts'
import { findIdentifiers, type IdentifierHit } from '../../../runtime/release/scan-identifiers.ts'

// Valid fixtures, each checked against the catalog so that a typo cannot make a test vacuous.
const ID18 = '110101199003077774'
const ID18_X = '11010519491231002X'
const ID15 = '110105491231002'
const USCC = '91350100M000100Y43'
const USCC_DIGITS_ONLY_BODY = '91440300MA5F0000X1'
const CARD_19 = '6222021234567890128'
const CARD_17 = '62220212345678903'
const VISA = '4111111111111111'
const MOBILE = '13800138000'
const PLATE = '京A12345'
const PLATE_NEW_ENERGY = '皖ND12345'

/** The kinds and original substrings of the hits, for readable assertions. */
function found(text: string): { kind: IdentifierHit['kind']; text: string }[] {
  return findIdentifiers(text).map((hit) => ({ kind: hit.kind, text: text.slice(hit.start, hit.end) }))
}

/** Replaces the character at `at` with `by`. */
function replaceAt(value: string, at: number, by: string): string {
  return value.slice(0, at) + by + value.slice(at + 1)
}

/** Every single-digit substitution of `value` (each digit position, each other digit). */
function singleDigitChanges(value: string): string[] {
  const out: string[] = []
  for (let at = 0; at < value.length; at++) {
    const c = value.charAt(at)
    if (c < '0' || c > '9') continue
    for (let d = 0; d <= 9; d++) if (String(d) !== c) out.push(replaceAt(value, at, String(d)))
  }
  return out
}

describe('fixtures', () => {
  it('are valid identifiers per the catalog', () => {
    expect([ID18, ID18_X, ID15].every(isValidResidentId)).toBe(true)
    expect([USCC, USCC_DIGITS_ONLY_BODY].every(isValidUscc)).toBe(true)
    expect([CARD_19, CARD_17, VISA].every(isValidBankCard)).toBe(true)
    expect([PLATE, PLATE_NEW_ENERGY].every(isValidPlate)).toBe(true)
    expect(makeResidentId('110101', '19900307', 777)).toBe(ID18)
    expect(makeUscc('9', '1', '350100', 'M000100Y')).toBe(USCC)
    expect(makeBankCard('622202', '123456789012')).toBe(CARD_19)
    expect(makeMobile('138', '00138000')).toBe(MOBILE)
  })
})

describe('findIdentifiers: each detector', () => {
  it('finds an 18-character resident ID and reports its span, never its value', () => {
    const text = `{"id":"${ID18}"}`
    expect(findIdentifiers(text)).toEqual([{ kind: 'resident_id', start: 7, end: 25 }])
    expect(Object.keys(findIdentifiers(text)[0]!).sort()).toEqual(['end', 'kind', 'start'])
  })

  it('finds a resident ID whose check character is X', () => {
    expect(found(`"${ID18_X}"`)).toEqual([{ kind: 'resident_id', text: ID18_X }])
  })

  it('finds a resident ID whose check character is wrong or dropped (it can be recomputed)', () => {
    const kinds = (text: string) => findIdentifiers(text).map((hit) => hit.kind)
    for (let d = 0; d <= 9; d++) expect(kinds(`"${replaceAt(ID18, 17, String(d))}"`)).toEqual(['resident_id'])
    expect(kinds(`"${replaceAt(ID18, 17, 'X')}"`)).toEqual(['resident_id'])
    expect(kinds(`"${ID18.slice(0, 17)}"`)).toEqual(['resident_id'])
    expect(kinds(`"${ID18_X.slice(0, 17)}"`)).toEqual(['resident_id'])
    // changes in the sequence code keep the structure: still the same kind of identifier
    for (const at of [14, 15, 16]) expect(kinds(`"${replaceAt(ID18, at, ID18[at] === '0' ? '1' : '0')}"`)).toEqual(['resident_id'])
  })

  it('does not take a number for a resident ID when its province or date is not real', () => {
    const kinds = (text: string) => findIdentifiers(text).map((hit) => hit.kind)
    for (const changed of [replaceAt(ID18, 0, '9'), replaceAt(ID18, 10, '1'), replaceAt(ID18, 12, '4'), replaceAt(ID18_X, 11, '3')]) {
      expect(kinds(`"${changed}"`), changed).not.toContain('resident_id')
    }
  })

  it('finds IDs and mobiles written as JSON numbers, also in scientific notation', () => {
    const kinds = (text: string) => findIdentifiers(text).map((hit) => hit.kind)
    // a JSON number of 18 digits keeps about 17 significant ones: the check digit is lost, the structure is not
    expect(kinds(JSON.stringify({ id: Number(ID18) }))).toEqual(['resident_id'])
    expect(kinds(JSON.stringify({ id: Number(ID18_X.slice(0, 17)) }))).toEqual(['resident_id'])
    expect(kinds(`{"id":${Number(ID18).toExponential()}}`)).toEqual(['resident_id'])
    expect(kinds(`{"id":1.1010119900307777E17}`)).toEqual(['resident_id'])
    expect(kinds(JSON.stringify({ tel: Number(MOBILE) }))).toEqual(['mobile'])
    expect(kinds(JSON.stringify({ tel: Number(MOBILE) + 0.5 }))).toEqual(['mobile'])
    // doubles print up to 17 significant digits: a fraction's digits are no code
    const floats = Array.from({ length: 5000 }, (_, i) => Math.sin(i + 1) * 10 ** (i % 7))
    expect(kinds(JSON.stringify(floats))).toEqual([])
    // positive control: ordinary numbers are not identifiers; a mobile glued to a word is not one either
    expect(kinds(JSON.stringify({ n: 12345.678e3, score: 642, big: 1.5e21 }))).toEqual([])
    expect(kinds(`"${MOBILE}else"`)).toEqual([])
  })

  it('finds a USCC whose own check character is wrong or dropped, not one whose organisation code is broken', () => {
    const kinds = (text: string) => findIdentifiers(text).map((hit) => hit.kind)
    expect(kinds(`"${replaceAt(USCC, 17, '9')}"`)).toEqual(['uscc'])
    expect(kinds(`"${USCC.slice(0, 17)}"`)).toEqual(['uscc'])
    expect(kinds(`"${USCC.slice(0, 17).toLowerCase()}"`)).toEqual(['uscc'])
    expect(kinds(`"${replaceAt(USCC, 16, '5')}"`)).toEqual([])
  })

  it('finds the 15-digit form only with a real province and date', () => {
    expect(found(`"${ID15}"`)).toEqual([{ kind: 'resident_id_15', text: ID15 }])
    expect(findIdentifiers('"990105491231002"')).toEqual([]) // province 99
    expect(findIdentifiers('"110105491331002"')).toEqual([]) // month 13
    expect(findIdentifiers('"110105490230002"')).toEqual([]) // 30 February
  })

  it('finds a USCC, also in lower case, while its embedded organisation code (GB 11714) holds', () => {
    expect(found(`"${USCC}"`)).toEqual([{ kind: 'uscc', text: USCC }])
    expect(found(`"${USCC.toLowerCase()}"`)).toEqual([{ kind: 'uscc', text: USCC.toLowerCase() }])
    expect(found(`"${USCC_DIGITS_ONLY_BODY}"`)).toEqual([{ kind: 'uscc', text: USCC_DIGITS_ONLY_BODY }])
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
    for (let at = 0; at < 18; at++) {
      for (const c of alphabet) {
        if (c === USCC.charAt(at)) continue
        const changed = replaceAt(USCC, at, c)
        const hits = findIdentifiers(`"${changed}"`).map((h) => h.kind)
        if (at >= 8 && at <= 16) {
          // the organisation code's own check character catches a change in its body, bar 1 in 11
          if (organizationCodeCheckChar(changed.slice(8, 16)) === changed.charAt(16)) continue
          expect(hits, changed).toEqual([])
        } else if (at >= 2 && at <= 7 && !/\d/.test(c)) {
          expect(hits, changed).toEqual([]) // the division code is six digits
        } else {
          // authority, category, division digits and the last check character: the organisation
          // code inside still names the enterprise, and the check character can be recomputed
          expect(hits, changed).toEqual(['uscc'])
        }
      }
    }
  })

  it('finds a mobile number only as 1[3-9] and nine digits', () => {
    expect(found(`"${MOBILE}"`)).toEqual([{ kind: 'mobile', text: MOBILE }])
    expect(found('"19912345678"')).toEqual([{ kind: 'mobile', text: '19912345678' }])
    expect(findIdentifiers('"12800138000"')).toEqual([]) // second digit 2
    expect(findIdentifiers('"10800138000"')).toEqual([]) // second digit 0
    expect(findIdentifiers('"1380013800"')).toEqual([]) // 10 digits
    expect(findIdentifiers('"138001380001"')).toEqual([]) // 12 digits
  })

  it('finds a bank card of 16 to 19 digits with Luhn and a card-scheme prefix', () => {
    expect(found(`"${CARD_19}"`)).toEqual([{ kind: 'bank_card', text: CARD_19 }])
    expect(found(`"${CARD_17}"`)).toEqual([{ kind: 'bank_card', text: CARD_17 }])
    expect(found(`"${VISA}"`)).toEqual([{ kind: 'bank_card', text: VISA }])
    for (const changed of singleDigitChanges(CARD_19)) expect(findIdentifiers(`"${changed}"`), changed).toEqual([])
    for (const changed of singleDigitChanges(VISA)) expect(findIdentifiers(`"${changed}"`), changed).toEqual([])
  })

  it('does not find a Luhn-valid number without a card-scheme prefix', () => {
    const noScheme = makeBankCard('990000', '0000000000') // 9x: not in the scheme list
    const alsoNoScheme = makeBankCard('300000', '0000000000') // 30: Diners, not in the list
    expect(isValidBankCard(noScheme) && isValidBankCard(alsoNoScheme)).toBe(true)
    expect(findIdentifiers(`"${noScheme}" "${alsoNoScheme}"`)).toEqual([])
    const mastercard2 = makeBankCard('222100', '0000000000')
    const discover = makeBankCard('601100', '0000000000')
    expect(found(`"${mastercard2}" "${discover}"`).map((h) => h.kind)).toEqual(['bank_card', 'bank_card'])
  })

  it('finds ordinary and new-energy plates and not malformed ones', () => {
    expect(found(`"车牌${PLATE}的车"`)).toEqual([{ kind: 'plate', text: PLATE }])
    expect(found(`"${PLATE_NEW_ENERGY}"`)).toEqual([{ kind: 'plate', text: PLATE_NEW_ENERGY }])
    expect(found('"京A12345D"')).toEqual([{ kind: 'plate', text: '京A12345D' }])
    expect(found('"京a12345" "皖nd12345"').map((h) => h.text)).toEqual(['京a12345', '皖nd12345']) // case folded
    expect(findIdentifiers('"京I12345"')).toEqual([]) // letter I
    expect(findIdentifiers('"京AB1C2D"')).toEqual([]) // serial of 6 that is not new-energy
    expect(findIdentifiers('"京A1234"')).toEqual([]) // serial too short
    expect(findIdentifiers('"京A1234567"')).toEqual([]) // serial too long
    expect(findIdentifiers('"港A12345"')).toEqual([]) // not a mainland province abbreviation
  })
})

describe('findIdentifiers: normalization cannot hide an identifier', () => {
  it('folds full-width digits and letters, with original offsets', () => {
    const wide = '１１０１０１１９９００３０７７７７４'
    const text = `{"身份证":"${wide}"}`
    expect(found(text)).toEqual([{ kind: 'resident_id', text: wide }])
    expect(findIdentifiers(text)[0]).toMatchObject({ start: 8, end: 26 })
    expect(found('"９１３５０１００Ｍ０００１００Ｙ４３"').map((h) => h.kind)).toEqual(['uscc'])
    expect(found('"京Ａ１２３４５"').map((h) => h.kind)).toEqual(['plate'])
  })

  it('reads a lower-case x as the check character X', () => {
    expect(found(`"${ID18_X.toLowerCase()}"`)).toEqual([{ kind: 'resident_id', text: ID18_X.toLowerCase() }])
    expect(found('"１１０１０５１９４９１２３１００２ｘ"').map((h) => h.kind)).toEqual(['resident_id'])
  })

  it('skips separators inside a digit run', () => {
    const cases: [string, IdentifierHit['kind']][] = [
      ['110101 19900307 7774', 'resident_id'],
      ['110105-19491231-002x', 'resident_id'],
      ['138-0013-8000', 'mobile'],
      ['138.0013.8000', 'mobile'],
      ['138_0013_8000', 'mobile'],
      ['138/0013/8000', 'mobile'],
      ['138\u30000013\u30008000', 'mobile'],
      ['138\u00a00013\u00a08000', 'mobile'],
      ['138\u200b0013\u200b8000', 'mobile'],
      ['138 - 0013 - 8000', 'mobile'],
      ['6222 0212 3456 7890 128', 'bank_card'],
      ['京A·12345', 'plate'],
      ['京A 12345', 'plate'],
    ]
    for (const [value, kind] of cases) {
      const text = `{"v":"${value}","n":1}`
      expect(found(text), value).toEqual([{ kind, text: value }])
    }
  })

  it('finds a mobile number after +86, 0086 or 86, the prefix inside the span', () => {
    for (const value of ['+8613800138000', '+86 138 0013 8000', '+86-138-0013-8000', '008613800138000', '0086 138 0013 8000', '8613800138000', '86 13800138000', '＋８６ １３８ ００１３ ８０００']) {
      expect(found(`{"tel":"${value}"}`), value).toEqual([{ kind: 'mobile', text: value }])
    }
    expect(found('{"tel":"(+86) 13800138000"}')).toEqual([{ kind: 'mobile', text: '13800138000' }])
    expect(findIdentifiers('{"tel":"+8612800138000"}')).toEqual([]) // not a mobile after the prefix
    expect(findIdentifiers('{"tel":"8713800138000"}')).toEqual([]) // not a country code of China
  })

  it('decodes JSON \\u escapes, also double-escaped, with the span covering the escapes', () => {
    const escaped = [...MOBILE].map((c) => `\\u00${c.charCodeAt(0).toString(16)}`).join('')
    const text = `{"tel":"${escaped}"}`
    expect(found(text)).toEqual([{ kind: 'mobile', text: escaped }])
    expect(findIdentifiers(text)[0]).toEqual({ kind: 'mobile', start: 8, end: 8 + 66 })

    const mixed = '\\u0031\\u0033800138000' // 1, 3, then plain digits
    expect(found(`"${mixed}"`)).toEqual([{ kind: 'mobile', text: mixed }])
    const double = '\\\\u0031\\\\u0033800138000' // a consumer that decodes twice reads 138...
    expect(found(`"${double}"`)).toEqual([{ kind: 'mobile', text: double }])
    const fullWidthEscaped = '\\uff11\\uff13\\uff18\\uff10\\uff10\\uff11\\uff13\\uff18\\uff10\\uff10\\uff10'
    expect(found(`"${fullWidthEscaped}"`).map((h) => h.kind)).toEqual(['mobile'])
    expect(found(`"\\u4eacA12345"`)).toEqual([{ kind: 'plate', text: '\\u4eacA12345' }])
    expect(found(`"${ID18_X.slice(0, 17)}\\u0078"`).map((h) => h.kind)).toEqual(['resident_id'])
  })

  it('decodes one-letter JSON escapes so that \\n or \\t does not glue a letter to a number', () => {
    expect(found(`"a\\n${MOBILE}\\tb"`)).toEqual([{ kind: 'mobile', text: MOBILE }])
    expect(found(`"\\"${MOBILE}\\""`)).toEqual([{ kind: 'mobile', text: MOBILE }])
    expect(found(`"138\\/0013\\/8000"`)).toEqual([{ kind: 'mobile', text: '138\\/0013\\/8000' }])
    // an escaped backslash is a literal backslash: the n after it is a letter
    expect(findIdentifiers(`"\\\\n${MOBILE}"`)).toEqual([])
  })

  it('finds an identifier next to other numbers in a text line', () => {
    expect(found(`"2025-12-31 ${MOBILE} 张三"`)).toEqual([{ kind: 'mobile', text: MOBILE }])
    expect(found(`"No. 3 ${ID18}"`)).toEqual([{ kind: 'resident_id', text: ID18 }])
    expect(found(`"642 ${CARD_19}"`)).toEqual([{ kind: 'bank_card', text: CARD_19 }])
  })

  it('reports several identifiers in order of position', () => {
    const text = JSON.stringify({ a: USCC, b: MOBILE, c: [PLATE, ID15], d: CARD_19 })
    expect(found(text)).toEqual([
      { kind: 'uscc', text: USCC },
      { kind: 'mobile', text: MOBILE },
      { kind: 'plate', text: PLATE },
      { kind: 'resident_id_15', text: ID15 },
      { kind: 'bank_card', text: CARD_19 },
    ])
  })
})

describe('findIdentifiers: non-identifiers', () => {
  it('takes a digit run whole', () => {
    expect(found(`"${ID18}"`)).toEqual([{ kind: 'resident_id', text: ID18 }]) // not also a mobile inside
    expect(findIdentifiers(`"${ID18}12"`)).toEqual([]) // 20 digits
    expect(findIdentifiers(`"9${MOBILE}"`)).toEqual([]) // 12 digits
    expect(findIdentifiers(`"${MOBILE}0"`)).toEqual([])
    expect(findIdentifiers(`"${ID18} 12"`).map((h) => h.kind)).toEqual(['resident_id']) // separated groups tried alone
    expect(findIdentifiers('"110101 19900307 7774 12"')).toEqual([]) // 20 digits, no group of 11
  })

  it('does not find a run glued to letters: pseudonyms, hex digests, codes', () => {
    const pseudonym = 'p_' + 'qwertyuiopasdfghjklz'
    expect(findIdentifiers(JSON.stringify({ subject: pseudonym, other: 'p_abcdefghijklmnopqrst' }))).toEqual([])
    // a resident ID's structure (real province and date) is specific: glued to letters it is still one
    expect(found(`"ID${ID18}"`)).toEqual([{ kind: 'resident_id', text: ID18 }])
    expect(found(`"${ID18.slice(0, 17)}else"`)).toEqual([{ kind: 'resident_id', text: ID18.slice(0, 17) }])
    expect(findIdentifiers(`"${MOBILE}abc"`)).toEqual([])
    expect(findIdentifiers(`"a${MOBILE}"`)).toEqual([])
    expect(findIdentifiers(`"${ID18_X}Y"`).map((h) => h.kind)).toEqual(['resident_id'])
    const digests: string[] = []
    for (let i = 0; i < 2000; i++) digests.push(createHash('sha256').update(`record-${i}`).digest('hex'))
    digests.push('deadbeef' + MOBILE + 'cafe', 'f' + CARD_19 + 'e')
    expect(findIdentifiers(JSON.stringify(digests))).toEqual([])
  })

  it('does not find dates, timestamps, amounts, scores or counts', () => {
    const values = [
      '2025-12-31', '2025/12/31', '20251231', '2025-12-31T23:59:59.999Z', '2025-12-31 23:59:59', '1767225599999',
      '12345.67', '-12345.67', '1234567.89', '0.1380013800', '642', '1,380,013,800', '13:80:01:38:00',
      '2025-12-31 2026-01-01', '[1, 3, 8, 0, 0, 1, 3, 8, 0, 0, 0]',
    ]
    const text = JSON.stringify({ values, score: 642, amount: 12345.67, ts: 1767225599999, n: 2025123123 })
    expect(findIdentifiers(text)).toEqual([])
  })

  it('returns nothing for empty or identifier-free text', () => {
    expect(findIdentifiers('')).toEqual([])
    expect(findIdentifiers('\\')).toEqual([])
    expect(findIdentifiers('\\u12')).toEqual([])
    expect(findIdentifiers('京')).toEqual([])
    expect(findIdentifiers('京A')).toEqual([])
  })
})

describe('findIdentifiers: a realistic 256 KB output', () => {
  /** A deterministic generator (mulberry32), so that the output and the expectations are fixed. */
  function random(seed: number): () => number {
    let a = seed >>> 0
    return () => {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }

  function buildOutput(): { text: string; planted: { kind: IdentifierHit['kind']; value: string }[] } {
    const next = random(42)
    const letters = 'abcdefghijklmnopqrstuvwxyz'
    const districts = ['蜀山区', '包河区', '庐阳区', '瑶海区', '肥西县', '长丰县']
    const rows: unknown[] = []
    const planted: { kind: IdentifierHit['kind']; value: string }[] = []
    const plants: [IdentifierHit['kind'], string][] = [
      ['resident_id', ID18],
      ['mobile', '138-0013-8000'],
      ['uscc', USCC],
      ['bank_card', '6222 0212 3456 7890 128'],
      ['plate', PLATE],
    ]
    let i = 0
    let size = 2
    while (size < 256 * 1024) {
      let pseudonym = 'p_'
      for (let k = 0; k < 20; k++) pseudonym += letters.charAt(Math.floor(next() * 26))
      const row: Record<string, unknown> = {
        subject: pseudonym,
        district: districts[i % districts.length],
        month: `2025-${String((i % 12) + 1).padStart(2, '0')}`,
        updatedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(next() * 365 * 86400000)).toISOString(),
        score: 300 + Math.floor(next() * 550),
        amount: Math.round(next() * 100000000) / 100,
        count: Math.floor(next() * 5000),
        digest: createHash('sha256').update(pseudonym).digest('hex'),
        note: `第${i}行 共${Math.floor(next() * 90) + 10}户`,
      }
      if (i % 100 === 50) {
        const [kind, value] = plants[planted.length % plants.length]!
        row['contact'] = value
        planted.push({ kind, value })
      }
      rows.push(row)
      size += JSON.stringify(row).length + 1
      i++
    }
    return { text: JSON.stringify(rows), planted }
  }

  const { text, planted } = buildOutput()

  it('finds exactly the planted identifiers, at their offsets', () => {
    expect(text.length).toBeGreaterThanOrEqual(256 * 1024)
    expect(planted.length).toBeGreaterThanOrEqual(5)
    expect(found(text)).toEqual(planted.map((p) => ({ kind: p.kind, text: p.value })))
    // offsets point at the planted values themselves
    let from = 0
    for (const hit of findIdentifiers(text)) {
      const value = text.slice(hit.start, hit.end)
      const at = text.indexOf(value, from)
      expect(at).toBe(hit.start)
      from = hit.end
    }
  })

  it('is deterministic', () => {
    expect(findIdentifiers(text)).toEqual(findIdentifiers(text))
  })
})
