/**
 * The catalog's vocabulary in words (catalog/classification.ts, runtime/scenarios/scenario.ts):
 * classification levels, identifier kinds, field types, masks and their targets, and the four
 * scenario categories (Chinese already: their English is the switch).
 */
import type { ClassificationLevel, FieldType, GeneralizeTarget, IdentifierKind, MaskRuleName } from '../../catalog/classification.ts'
import type { ScenarioCategory } from '../scenarios/scenario.ts'
import type { Names } from './names.ts'

export const LEVEL_NAMES = {
  L1: ['一般（公开）', 'Public'],
  L2: ['一般（内部）', 'Internal'],
  L3: ['敏感（个人信息、商业秘密）', 'Sensitive'],
  L4: ['高度敏感（敏感个人信息）', 'Highly sensitive'],
} as const satisfies Record<ClassificationLevel, Names>

export const IDENTIFIER_KIND_NAMES = {
  resident_id: ['身份证号', 'Resident ID'],
  uscc: ['统一社会信用代码', 'USCC'],
  phone: ['电话号码', 'Phone number'],
  name: ['姓名或名称', 'Name'],
  address: ['地址', 'Address'],
  bank_card: ['银行卡号', 'Bank card'],
  plate: ['车牌号', 'Licence plate'],
  none: ['非标识', 'Not an identifier'],
} as const satisfies Record<IdentifierKind, Names>

export const FIELD_TYPE_NAMES = {
  text: ['文本', 'Text'],
  integer: ['整数', 'Integer'],
  decimal: ['数值', 'Decimal'],
  date: ['日期', 'Date'],
  timestamp: ['时间', 'Timestamp'],
  boolean: ['是否', 'Boolean'],
} as const satisfies Record<FieldType, Names>

export const MASK_RULE_NAMES = {
  keep: ['保留原值', 'Keep'],
  pseudonym: ['假名化', 'Pseudonym'],
  partial: ['部分遮蔽', 'Partial'],
  generalize: ['泛化', 'Generalize'],
  bucketize: ['分段', 'Bucketize'],
  drop: ['删除', 'Drop'],
} as const satisfies Record<MaskRuleName, Names>

export const GENERALIZE_TARGET_NAMES = {
  year: ['年', 'Year'],
  month: ['月', 'Month'],
  age_band: ['年龄段', 'Age band'],
  district: ['区县', 'District'],
  compound: ['小区', 'Compound'],
} as const satisfies Record<GeneralizeTarget, Names>

export const CATEGORY_NAMES = {
  公共治理: ['公共治理', 'Public governance'],
  公益事业: ['公益事业', 'Public welfare'],
  产业发展: ['产业发展', 'Industry development'],
  行业发展: ['行业发展', 'Sector development'],
} as const satisfies Record<ScenarioCategory, Names>
