/**
 * Which masks an operator may approve for a catalog field: the one rule set a scenario decision
 * is checked against, and the list of rule names the console offers for each field (derived from
 * that same check, so that the two can never disagree).
 */
import { DIRECT_IDENTIFIER_KINDS, GENERALIZE_TARGETS, isGeneralizeTargetCompatible, MASK_RULES, type GeneralizeTarget, type MaskRule, type MaskRuleName } from '../../catalog/classification.ts'
import type { FieldDefinition } from '../../catalog/table-definition.ts'

/** A mask the operator may approve for a field: never `keep` for L4, never `keep` for a direct identifier (except as the lookup key). */
export function checkMask(field: FieldDefinition, mask: MaskRule, isKey: boolean): string | undefined {
  if (mask.rule === 'keep' && field.level === 'L4') return 'L4 data never leaves unmasked'
  if (mask.rule === 'keep' && DIRECT_IDENTIFIER_KINDS.has(field.identifier) && !isKey) return 'a direct identifier is pseudonymized unless it is the lookup key'
  if (mask.rule === 'generalize' && !isGeneralizeTargetCompatible(mask.to, field.type, field.identifier)) return `generalize to ${mask.to} does not apply to this field`
  if (mask.rule === 'bucketize' && field.type !== 'integer' && field.type !== 'decimal') return 'bucketize applies to numbers only'
  if (mask.rule === 'partial' && field.type !== 'text') return 'partial masks apply to text only'
  return undefined
}

/** The generalize targets that apply to a field. */
export function generalizeTargetsOf(field: FieldDefinition): GeneralizeTarget[] {
  return GENERALIZE_TARGETS.filter((to) => isGeneralizeTargetCompatible(to, field.type, field.identifier))
}

/**
 * The rule names `checkMask` accepts for a field (in MASK_RULES order): a rule is offered when
 * some mask of it passes — generalize with any target, bucketize with any bounds.
 */
export function maskChoices(field: FieldDefinition, isKey = false): MaskRuleName[] {
  const candidates: readonly MaskRule[] = [
    { rule: 'keep' },
    { rule: 'pseudonym' },
    { rule: 'partial' },
    ...GENERALIZE_TARGETS.map((to): MaskRule => ({ rule: 'generalize', to })),
    { rule: 'bucketize', bounds: [0] },
    { rule: 'drop' },
  ]
  return MASK_RULES.filter((rule) => candidates.some((mask) => mask.rule === rule && checkMask(field, mask, isKey) === undefined))
}
