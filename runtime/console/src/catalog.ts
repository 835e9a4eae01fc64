/** The catalog's metadata as the console reads it (`GET /v1/catalog`): no data, only definitions. */
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

export function describeMask(mask: MaskRule, t: (k: string) => string): string {
  switch (mask.rule) {
    case 'generalize':
      return `${t('mask_generalize')} → ${t(`target_${mask.to}`)}`
    case 'bucketize':
      return `${t('mask_bucketize')} [${mask.bounds.join(', ')}]`
    default:
      return t(`mask_${mask.rule}`)
  }
}
