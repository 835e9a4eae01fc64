/**
 * Masks a product proposes are taken only where they hide at least as much as the catalog's
 * default: a product can ask for a pseudonym where the default keeps a value (so that two tables
 * join), never for a name or an ID unmasked.
 */
import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../../catalog/load-catalog.ts'
import { proposedMasks } from '../../../runtime/scenarios/dev-approval.ts'
import type { ProductManifest } from '../../../runtime/products/manifest.ts'

const manifest = (tables: Record<string, { fields: Record<string, string>; masks?: Record<string, 'keep' | 'pseudonym' | 'partial' | 'drop'> }>) =>
  ({ id: 'p', version: '1.0.0', kind: 'dataset', title: 't', category: '公共治理', scenario: { purpose: 'x', tables } }) as unknown as ProductManifest

describe('proposed masks', () => {
  const catalog = loadCatalog()
  it('take a stricter proposal and ignore a looser one', () => {
    const approve = proposedMasks(
      manifest({
        water_usage: { fields: { address_code: 'join' }, masks: { address_code: 'pseudonym' } },
        household_registration: { fields: { name: 'x', resident_id: 'x', birth_date: 'x', ethnicity: 'x' }, masks: { name: 'keep', resident_id: 'partial', birth_date: 'keep', ethnicity: 'drop' } },
      }),
      catalog,
    )
    expect(approve).toEqual({ 'water_usage.address_code': { rule: 'pseudonym' }, 'household_registration.ethnicity': { rule: 'drop' } })
  })
})
