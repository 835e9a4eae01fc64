/**
 * The catalog as published (公共数据资源目录): each table's source, entity and key, and per field
 * its classification and the masks an operator may approve for it. Metadata only: no data.
 */
import { LEVEL_LABELS, type GeneralizeTarget, type MaskRule, type MaskRuleName } from '../../catalog/classification.ts'
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { FieldDefinition, TableDefinition } from '../../catalog/table-definition.ts'
import { generalizeTargetsOf, maskChoices } from '../scenarios/mask-choices.ts'

export type PublicCatalogField = Pick<FieldDefinition, 'name' | 'label' | 'type' | 'level' | 'personal' | 'identifier'> & {
  readonly levelLabel: string
  /** The catalog's default mask. */
  readonly mask: MaskRule
  /** The rule names a scenario decision accepts for the field (outside its use as a lookup key). */
  readonly masks: readonly MaskRuleName[]
  readonly generalizeTargets: readonly GeneralizeTarget[]
}

export type PublicCatalog = {
  readonly hash: string
  readonly tables: readonly (Pick<TableDefinition, 'id' | 'title' | 'source' | 'entity' | 'key'> & { readonly fields: readonly PublicCatalogField[] })[]
}

export function publicCatalog(catalog: Catalog): PublicCatalog {
  return {
    hash: catalog.hash,
    tables: catalog.tables.map((t) => ({
      id: t.id,
      title: t.title,
      source: t.source,
      entity: t.entity,
      key: t.key,
      fields: t.fields.map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        level: f.level,
        levelLabel: LEVEL_LABELS[f.level],
        personal: f.personal,
        identifier: f.identifier,
        mask: f.mask,
        masks: maskChoices(f),
        generalizeTargets: generalizeTargetsOf(f),
      })),
    })),
  }
}
