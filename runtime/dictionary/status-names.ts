/**
 * Statuses in words: scenarios, their fields and their history; product versions and published
 * products; releases (a consumer's runs); the standing of partners, operators, auditors and
 * consumers; a reviewer's decision; the kinds of product.
 */
import type { ScenarioStatus, FieldDecision } from '../scenarios/scenario.ts'
import type { VersionStatus } from '../state/product-versions.ts'
import type { ReleaseStatus } from '../release/release-store.ts'
import type { PrincipalStatus } from '../state/principals.ts'
import type { Consumer, PublishedProduct } from '../server/registry.ts'
import type { ProductManifest } from '../products/manifest.ts'
import type { Names } from './names.ts'

export const SCENARIO_STATUS_NAMES = {
  pending: ['待审核', 'Pending'],
  approved: ['已批准', 'Approved'],
  denied: ['已驳回', 'Denied'],
  revoked: ['已撤销', 'Revoked'],
} as const satisfies Record<ScenarioStatus, Names>

export const FIELD_DECISION_NAMES = {
  pending: ['待决定', 'Undecided'],
  approved: ['已批准', 'Approved'],
  denied: ['已驳回', 'Denied'],
} as const satisfies Record<FieldDecision['decision'], Names>

/** What a scenario's history records (runtime/scenarios/scenario-store.ts). */
export const SCENARIO_HISTORY_NAMES = {
  requested: ['提交申请', 'Requested'],
  approved: ['逐字段决定', 'Decided field by field'],
  denied: ['驳回', 'Denied'],
  revoked: ['撤销授权', 'Revoked'],
} as const satisfies Record<'requested' | Exclude<ScenarioStatus, 'pending'>, Names>

export const VERSION_STATUS_NAMES = {
  uploaded: ['已上传', 'Uploaded'],
  submitted: ['待审查', 'Submitted'],
  approved: ['审查通过', 'Approved'],
  rejected: ['审查未通过', 'Rejected'],
} as const satisfies Record<VersionStatus, Names>

export const RELEASE_STATUS_NAMES = {
  pending: ['待出域审核', 'Awaiting review'],
  released: ['已出域', 'Released'],
  rejected: ['审核拒绝', 'Rejected'],
  refused: ['已拦截', 'Refused'],
} as const satisfies Record<ReleaseStatus, Names>

export const PRODUCT_STATUS_NAMES = {
  published: ['已上架', 'Published'],
  suspended: ['已暂停', 'Suspended'],
  held: ['因多次失败暂停', 'Held after failures'],
  retired: ['已被新版本取代', 'Superseded by a newer version'],
} as const satisfies Record<PublishedProduct['status'], Names>

export const STANDING_NAMES = {
  active: ['正常', 'Active'],
  suspended: ['已暂停', 'Suspended'],
  revoked: ['已清退', 'Revoked'],
} as const satisfies Record<PrincipalStatus | Consumer['status'], Names>

export const REVIEW_DECISION_NAMES = {
  approve: ['同意', 'Approved'],
  reject: ['拒绝', 'Rejected'],
} as const satisfies Record<'approve' | 'reject', Names>

export const PRODUCT_KIND_NAMES = {
  api: ['单户查询接口', 'Per-entity API'],
  dataset: ['数据集', 'Dataset'],
  report: ['统计报告', 'Report'],
} as const satisfies Record<ProductManifest['kind'], Names>
