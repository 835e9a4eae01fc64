import { describe, expect, it } from 'vitest'
import { generateSyntheticData, SYNTHETIC_TABLES } from '../../../catalog/synthetic/generate.ts'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { isValidIdentifier } from '../../../catalog/identifiers/index.ts'
import { isValidResidentId, parseResidentId } from '../../../catalog/identifiers/resident-id.ts'
import { createMemorySink } from '../../helpers/memory-sink.ts'

const ALL = [...SYNTHETIC_TABLES]

function generate(seed: string | number, scale: number, keep: readonly string[] = []) {
  const sink = createMemorySink(keep)
  generateSyntheticData({ seed, scale }, sink)
  sink.finish()
  return sink
}

describe('the synthetic world', () => {
  const world = generate('unit', 4000, ALL)
  const catalog = loadCatalog()

  it('is deterministic: same seed and scale, same rows byte for byte; another seed differs', () => {
    const again = generate('unit', 4000)
    expect(again.hashes).toEqual(world.hashes)
    const other = generate('other-seed', 4000)
    expect(other.hashes.get('household_registration')).not.toBe(world.hashes.get('household_registration'))
  })

  it('fills every catalog table and has exactly `scale` persons', () => {
    for (const t of catalog.tables) expect(world.counts.get(t.id), t.id).toBeGreaterThan(0)
    expect(world.counts.get('household_registration')).toBe(4000)
  })

  it('writes only valid identifiers: every resident ID, USCC, phone, bank card and plate passes its check', () => {
    let checked = 0
    for (const t of catalog.tables) {
      const rows = world.rows.get(t.id)!
      for (const f of t.fields) {
        if (!['resident_id', 'uscc', 'phone', 'bank_card', 'plate'].includes(f.identifier)) continue
        for (const row of rows) {
          const v = row[f.name]
          if (v === null) continue
          checked++
          if (!isValidIdentifier(f.identifier, String(v))) throw new Error(`${t.id}.${f.name}: invalid ${f.identifier} ${String(v)}`)
        }
      }
    }
    expect(checked).toBeGreaterThan(20000)
  })

  it('gives resident IDs the administrative codes of 六安, 池州, 大冶 and 大同, unique per person, consistent with sex and birth date', () => {
    const rows = world.rows.get('household_registration')!
    const ids = new Set<string>()
    const prefixes = new Set<string>()
    for (const row of rows) {
      const id = String(row.resident_id)
      expect(isValidResidentId(id)).toBe(true)
      ids.add(id)
      const parts = parseResidentId(id)!
      prefixes.add(parts.adminCode.slice(0, 4))
      expect(parts.sex === 'male' ? '男' : '女').toBe(row.sex)
      expect(parts.birthDate).toBe(row.birth_date)
    }
    expect(ids.size).toBe(rows.length)
    expect([...prefixes].sort()).toEqual(['1402', '3415', '3417', '4202'])
  })

  it('links records: every referenced identifier exists in the table it references', () => {
    for (const t of catalog.tables) {
      for (const f of t.fields) {
        if (f.references === undefined) continue
        const [refTable, refField] = f.references.split('.') as [string, string]
        const known = new Set(world.rows.get(refTable)!.map((r) => r[refField]))
        const missing = world.rows.get(t.id)!.filter((r) => r[f.name] !== null && !known.has(r[f.name]!))
        expect(missing.length, `${t.id}.${f.name} → ${f.references}`).toBe(0)
      }
    }
  })

  it('never repeats a key', () => {
    for (const t of catalog.tables) {
      const keys = world.rows.get(t.id)!.map((r) => t.key.map((k) => String(r[k])).join('|'))
      expect(new Set(keys).size, t.id).toBe(keys.length)
    }
  })

  it('rejects an impossible scale', () => {
    expect(() => generate('x', 10)).toThrow(RangeError)
    expect(() => generate('x', 1.5e3 + 0.5)).toThrow(RangeError)
  })
})
