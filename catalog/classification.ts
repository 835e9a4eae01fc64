/**
 * Classification of catalog fields, as docs/architecture.md describes it, in the spirit of
 * GB/T 43697-2024 (数据安全技术 数据分类分级规则).
 */

/** L1 public · L2 internal · L3 sensitive (personal information, commercial secrets) · L4 highly sensitive. */
export const CLASSIFICATION_LEVELS = ['L1', 'L2', 'L3', 'L4'] as const
export type ClassificationLevel = (typeof CLASSIFICATION_LEVELS)[number]

export const LEVEL_LABELS: Readonly<Record<ClassificationLevel, string>> = Object.freeze({
  L1: '一般（公开）',
  L2: '一般（内部）',
  L3: '敏感（个人信息、商业秘密）',
  L4: '高度敏感（敏感个人信息）',
})

/** What kind of identifier a field holds; drives default masks and release scans. */
export const IDENTIFIER_KINDS = [
  'resident_id',
  'uscc',
  'phone',
  'name',
  'address',
  'bank_card',
  'plate',
  'none',
] as const
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number]

/**
 * Direct identifiers: a value alone points at one person or enterprise. They never leave
 * unmasked by default (docs/architecture.md: pseudonymized unless it is the key an API product is
 * called with).
 */
export const DIRECT_IDENTIFIER_KINDS: ReadonlySet<IdentifierKind> = new Set([
  'resident_id',
  'uscc',
  'phone',
  'bank_card',
  'plate',
])

export const FIELD_TYPES = ['text', 'integer', 'decimal', 'date', 'timestamp', 'boolean'] as const
export type FieldType = (typeof FIELD_TYPES)[number]

export const MASK_RULES = ['keep', 'pseudonym', 'partial', 'generalize', 'bucketize', 'drop'] as const
export type MaskRuleName = (typeof MASK_RULES)[number]

/** Targets of `generalize`, per the kind of value it applies to. */
export const GENERALIZE_TARGETS = ['year', 'month', 'age_band', 'district', 'compound'] as const
export type GeneralizeTarget = (typeof GENERALIZE_TARGETS)[number]

export type MaskRule =
  | { readonly rule: 'keep' }
  | { readonly rule: 'pseudonym' }
  | { readonly rule: 'partial'; readonly keepStart?: number; readonly keepEnd?: number }
  | { readonly rule: 'generalize'; readonly to: GeneralizeTarget }
  | { readonly rule: 'bucketize'; readonly bounds: readonly number[] }
  | { readonly rule: 'drop' }

/** Which generalize targets make sense for which field types / identifier kinds. */
export function isGeneralizeTargetCompatible(
  to: GeneralizeTarget,
  type: FieldType,
  identifier: IdentifierKind,
): boolean {
  switch (to) {
    case 'year':
    case 'month':
    case 'age_band':
      return type === 'date' || type === 'timestamp'
    case 'district':
    case 'compound':
      return identifier === 'address'
  }
}
