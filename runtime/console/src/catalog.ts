/** The catalog's metadata as the console reads it (`GET /v1/catalog`): no data, only definitions. */
import { GENERALIZE_TARGET_NAMES, MASK_RULE_NAMES, type Names } from '../../dictionary/index.ts'
import { api } from './api.ts'

export type MaskRule =
  | { rule: 'keep' }
  | { rule: 'pseudonym' }
  | { rule: 'partial'; keepStart?: number; keepEnd?: number }
  | { rule: 'generalize'; to: string }
  | { rule: 'bucketize'; bounds: number[] }
  | { rule: 'drop' }

export type CatalogField = {
  name: string
  label: string
  type: string
  level: 'L1' | 'L2' | 'L3' | 'L4'
  levelLabel: string
  personal: boolean
  identifier: string
  mask: MaskRule
  masks: MaskRule['rule'][]
  generalizeTargets: string[]
}
export type CatalogTable = { id: string; title: string; source: string; entity: string; key: string[]; fields: CatalogField[] }
export type CatalogMetadata = { hash: string; tables: CatalogTable[] }

let cached: Promise<CatalogMetadata> | undefined
export function loadCatalog(): Promise<CatalogMetadata> {
  cached ??= api<CatalogMetadata>('/v1/catalog').catch((e: unknown) => {
    cached = undefined
    throw e
  })
  return cached
}

/** A mask in words: `泛化 → 区县`, `分段 [100, 500]`, `部分遮蔽（保留开头 3 个、末尾 4 个字符）`. */
export function describeMask(mask: MaskRule, name: (dictionary: Readonly<Record<string, Names>>, code: string) => string): string {
  switch (mask.rule) {
    case 'generalize':
      return `${name(MASK_RULE_NAMES, 'generalize')} → ${name(GENERALIZE_TARGET_NAMES, mask.to)}`
    case 'bucketize':
      return `${name(MASK_RULE_NAMES, 'bucketize')} [${mask.bounds.join(', ')}]`
    case 'partial':
      return mask.keepStart === undefined && mask.keepEnd === undefined ? name(MASK_RULE_NAMES, 'partial') : `${name(MASK_RULE_NAMES, 'partial')}（${mask.keepStart ?? 0} + ${mask.keepEnd ?? 0}）`
    default:
      return name(MASK_RULE_NAMES, mask.rule)
  }
}
