import { describe, expect, it } from 'vitest'
import { generateSyntheticData, SYNTHETIC_TABLES } from '../../../catalog/synthetic/generate.ts'
import { habitsOf } from '../../../catalog/synthetic/delivery.ts'
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

  it("writes valid identifiers in every key; a reference is mistyped only at its department's rate, and its check digit catches it", () => {
    let checked = 0
    let mistyped = 0
    for (const t of catalog.tables) {
      const rows = world.rows.get(t.id)!
      for (const f of t.fields) {
        if (!['resident_id', 'uscc', 'phone', 'bank_card', 'plate'].includes(f.identifier)) continue
        const values = rows.map((row) => row[f.name]).filter((v) => v !== null && v !== undefined).map(String)
        const invalid = values.filter((v) => !isValidIdentifier(f.identifier, v))
        checked += values.length
        mistyped += invalid.length
        if (t.key.includes(f.name)) expect(invalid, `${t.id}.${f.name} is a key`).toEqual([])
        else expect(invalid.length, `${t.id}.${f.name}`).toBeLessThanOrEqual(3 + 3 * habitsOf(t.source).mistypedId * values.length)
      }
    }
    expect(checked).toBeGreaterThan(20000)
    // the messiness is there, for the import checks and the products to meet
    expect(mistyped).toBeGreaterThan(0)
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

  it('links records: every referenced value exists in the table it references, unless it is a mistyped identifier', () => {
    for (const t of catalog.tables) {
      for (const f of t.fields) {
        if (f.references === undefined) continue
        const [refTable, refField] = f.references.split('.') as [string, string]
        const known = new Set(world.rows.get(refTable)!.map((r) => r[refField]))
        // only a mistyped identifier points nowhere: its check digit says so
        const missing = world.rows.get(t.id)!.filter((r) => r[f.name] !== null && !known.has(r[f.name]!))
        const explained = missing.filter((r) => f.identifier !== 'none' && !isValidIdentifier(f.identifier, String(r[f.name])))
        expect(missing.length, `${t.id}.${f.name} → ${f.references}`).toBe(explained.length)
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
