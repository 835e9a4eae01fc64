/**
 * Checks in words: a product version's automatic review checks (runtime/server/version-review.ts),
 * the release checks of the exact bytes (runtime/release/check-release.ts, `passed` of a report
 * and of a signed release's claims), and the items of the reviewers' report
 * (runtime/release/release-report.ts) with their statuses and figures.
 */
import type { VersionCheckName } from '../server/version-review.ts'
import type { ReportStatus } from '../release/release-report.ts'
import type { Names } from './names.ts'

export const VERSION_CHECK_NAMES = {
  code_hash: ['代码哈希与上传时一致', 'Code hash matches the upload'],
  scenario_approved: ['场景已批准且在有效期内', 'Scenario approved and not expired'],
  category_matches: ['场景类别一致', 'Category matches the scenario'],
  fields_approved: ['所读字段均已授权', 'Every field read is approved'],
  answer_bounded: ['应答格式有界（数值有范围、文本为枚举或限定格式）', 'Answer shape bounded (ranged numbers, enums or anchored patterns)'],
  dev_run_ok: ['试运行成功', 'Dev run succeeded'],
  dev_run_release_checks: ['试运行结果通过出域检查', 'Dev run passed the release checks'],
} as const satisfies Record<VersionCheckName, Names>

/**
 * The release checks of the exact bytes, by the name `checkRelease` gives a passed check, and
 * `REVIEW` which signing after two reviewers adds. (`passed` is typed `string[]` there: the
 * dictionary's test runs the checks and looks every name up.)
 */
export const RELEASE_CHECK_NAMES = {
  SCHEMA: ['输出符合声明的结构', 'Output matches its declared shape'],
  IDENTIFIERS: ['输出中没有直接标识（身份证号、统一社会信用代码、手机号、银行卡号、车牌）', 'No direct identifiers in the output'],
  FREE_TEXT: ['没有未声明的自由文本', 'No undeclared free text'],
  MINIMUM_NECESSARY: ['应答格式有界且不含个人信息（最小必要）', 'Bounded answer without personal values (minimum necessary)'],
  GUARDS: ['未触发调用量与差分防护', 'Volume and differencing guards passed'],
  REVIEW: ['两名运营人员审核同意', 'Approved by two reviewers'],
} as const satisfies Record<string, Names>

/** The items of the reviewers' automatic report, by their `check` code. */
export const REPORT_ITEM_NAMES = {
  ...RELEASE_CHECK_NAMES,
  RUNTIME_AGGREGATES: ['汇总由运行时计算', 'Aggregates computed by the runtime'],
  DIFFERENTIAL_PRIVACY: ['差分隐私', 'Differential privacy'],
  MIN_COUNT: ['最低计数规则', 'Minimum count rule'],
  DOMINANCE: ['支配规则与 p% 规则', 'Dominance and p% rules'],
  RESIDUAL_DF: ['回归残差自由度', 'Regression residual degrees of freedom'],
  EXTREME_VALUE: ['极值与分位数保护', 'Extreme values and quantiles'],
  CROSS_RELEASE_AUDIT: ['跨次发布核算', 'Audit across releases'],
  PROTECTION_INTERVAL: ['可推断区间核算', 'Protection intervals'],
  INTERVALS_UNCHECKED: ['未核算区间的隐匿单元格', 'Withheld cells without interval check'],
  NARROWED_EARLIER: ['此前发布已可推断', 'Narrowed by earlier releases'],
  EXPOSED_EARLIER: ['此前发布已可推出', 'Exposed by earlier releases'],
  ZEROS: ['空单元格', 'Empty cells'],
  CLASS_DISCLOSURE: ['属性泄露', 'Attribute disclosure'],
  ROW_LEVEL: ['逐条发布', 'Row-level release'],
  K_ANONYMITY: ['k-匿名', 'k-anonymity'],
  ROW_LEVEL_NOT_STATISTICAL: ['逐条数据不适用统计规则', 'No statistical rule applies to rows'],
  INEQUALITY_INFERENCE: ['不等式推断（未核算）', 'Inequality inference (not checked)'],
  COLLUSION: ['多方合谋（未核算）', 'Collusion (not checked)'],
} as const satisfies Record<string, Names>

export const REPORT_STATUS_NAMES = {
  passed: ['通过', 'Passed'],
  applied: ['已处理', 'Applied'],
  flagged: ['请人工复核', 'Flagged for review'],
  not_checkable: ['无法自动检查', 'Not checkable'],
} as const satisfies Record<ReportStatus, Names>

/** The figures report items carry, by their key. */
export const REPORT_FIGURE_NAMES = {
  tables: ['汇总表', 'Tables'],
  cells: ['单元格', 'Cells'],
  released: ['发布', 'Released'],
  withheld: ['隐匿', 'Withheld'],
  epsilon: ['本次消耗 ε', 'ε spent'],
  remaining: ['剩余 ε', 'ε remaining'],
  secondary: ['另行隐匿', 'Also withheld'],
  checked: ['已核算', 'Checked'],
  range: ['区间要求', 'Required range'],
  unchecked: ['未核算', 'Unchecked'],
  count: ['数量', 'Count'],
  zeros: ['空单元格', 'Empty cells'],
  groups: ['群组', 'Groups'],
  rows: ['行数', 'Rows'],
  identifiers: ['真实标识', 'Real identifiers'],
} as const satisfies Record<string, Names>
