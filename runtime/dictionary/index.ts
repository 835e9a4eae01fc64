/**
 * The dictionary: every catalogue of codes the API answers with, in Chinese and English, typed
 * against the catalogue it names. The console reads it (and only it) for codes; the API's own
 * catalogues stay where they are.
 */
export { nameOf, type Language, type Names } from './names.ts'
export { ERROR_NAMES } from './error-names.ts'
export { AUDIT_ACTION_NAMES, AUDIT_AREA_NAMES } from './audit-action-names.ts'
export { AUDIT_DETAIL_NAMES, SYSTEM_ACTOR_NAMES } from './audit-detail-names.ts'
export { RELEASE_CHECK_NAMES, REPORT_FIGURE_NAMES, REPORT_ITEM_NAMES, REPORT_STATUS_NAMES, VERSION_CHECK_NAMES } from './check-names.ts'
export { AUDIT_PROBLEM_NAMES, CONSENT_FAILURE_NAMES, FOUND_IDENTIFIER_NAMES, LOGIN_FAILURE_NAMES, REFUSAL_NAMES, VERIFY_FAILURE_NAMES, type RefusalRule } from './refusal-names.ts'
export {
  FIELD_DECISION_NAMES,
  PRODUCT_KIND_NAMES,
  PRODUCT_STATUS_NAMES,
  RELEASE_STATUS_NAMES,
  REVIEW_DECISION_NAMES,
  SCENARIO_HISTORY_NAMES,
  SCENARIO_STATUS_NAMES,
  STANDING_NAMES,
  VERSION_STATUS_NAMES,
} from './status-names.ts'
export { CATEGORY_NAMES, FIELD_TYPE_NAMES, GENERALIZE_TARGET_NAMES, IDENTIFIER_KIND_NAMES, LEVEL_NAMES, MASK_RULE_NAMES } from './catalog-names.ts'
export { ROLE_NAMES } from './role-names.ts'
export { problemText } from './problem-texts.ts'
