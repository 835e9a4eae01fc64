/**
 * Why something was refused or fails: the release refusal reasons (runtime/release/check-release.ts,
 * the disclosure rules of protect-aggregate.ts, and reviewers' rejections as the public disclosure
 * counts them), why a release fails verification (runtime/release/signing.ts), and what the audit
 * chain's verification finds (runtime/audit/verify-audit.ts), why presented credentials failed
 * (runtime/server/callers.ts) and why a person's consent did not hold (runtime/consent/consent.ts).
 */
import type { VerifyFailure } from '../release/signing.ts'
import type { ReleaseReason } from '../release/check-release.ts'
import type { WithheldRule } from '../release/protect-aggregate.ts'
import type { IdentifierHit } from '../release/scan-identifiers.ts'
import type { AuditProblem } from '../audit/verify-audit.ts'
import type { LoginFailure } from '../server/callers.ts'
import type { ConsentFailure } from '../consent/consent.ts'
import type { Names } from './names.ts'

export type RefusalRule = ReleaseReason['code'] | WithheldRule | 'REVIEW_REJECTED'

export const REFUSAL_NAMES = {
  SCHEMA_MISMATCH: ['输出不符合声明的结构', 'Output does not match its declared shape'],
  DIRECT_IDENTIFIER: ['输出含直接标识', 'Direct identifier in the output'],
  UNDECLARED_FREE_TEXT: ['输出含未声明的自由文本', 'Undeclared free text'],
  KEY_IN_OUTPUT: ['输出含查询键本身', 'The lookup key is in the output'],
  OUTPUT_SCHEMA_UNBOUNDED: ['应答格式无界', 'Unbounded answer shape'],
  PERSONAL_VALUE: ['应答含个人信息', 'Personal value in the answer'],
  VOLUME_EXCEEDED: ['查询数量超过防差分上限', 'Lookup volume exceeded'],
  ROW_LEVEL_NOT_APPROVED: ['未获批准逐条发布', 'Row-level release not approved'],
  OUTPUT_TOO_LARGE: ['输出过大', 'Output too large'],
  MIN_COUNT: ['少于最低计数', 'Below the minimum count'],
  DOMINANCE: ['少数贡献者占比过高（支配规则）', 'Dominance rule'],
  P_PERCENT: ['可被精确估计（p% 规则）', 'p% rule'],
  EXTREME_VALUE: ['极值可识别到个体', 'Identifying extreme value'],
  RESIDUAL_DF: ['回归残差自由度不足', 'Too few residual degrees of freedom'],
  REVIEW_REJECTED: ['审核人员拒绝出域', 'Rejected by a reviewer'],
} as const satisfies Record<RefusalRule, Names>

/** The kinds of direct identifier the release scan finds. */
export const FOUND_IDENTIFIER_NAMES = {
  resident_id: ['身份证号', 'Resident ID'],
  resident_id_15: ['15 位身份证号', '15-digit resident ID'],
  uscc: ['统一社会信用代码', 'USCC'],
  mobile: ['手机号', 'Mobile number'],
  bank_card: ['银行卡号', 'Bank card'],
  plate: ['车牌号', 'Licence plate'],
} as const satisfies Record<IdentifierHit['kind'], Names>

export const VERIFY_FAILURE_NAMES = {
  MALFORMED: ['格式不正确', 'Malformed'],
  TOO_LARGE: ['超过 1 MiB', 'Too large'],
  BAD_HEADER: ['头部无法解析', 'Bad header'],
  ALG_NOT_ALLOWED: ['签名算法不是 EdDSA', 'Algorithm not allowed'],
  KEY_IN_HEADER: ['头部自带密钥', 'Key in the header'],
  DUPLICATE_HEADER_MEMBER: ['头部或声明中有重复成员', 'Duplicate member'],
  UNKNOWN_KEY: ['签名密钥不在平台公钥集中', 'Unknown key'],
  BAD_SIGNATURE: ['签名不正确', 'Bad signature'],
  WRONG_TYPE: ['不是出域结果（类型不符）', 'Wrong type'],
  WRONG_ISSUER: ['签发方不是本平台', 'Wrong issuer'],
  WRONG_AUDIENCE: ['不是签发给您的', 'Wrong audience'],
  MISSING_CLAIM: ['缺少必需的声明', 'Missing claim'],
  EXPIRED: ['已过期', 'Expired'],
  NOT_YET_VALID: ['签发时间在未来', 'Not yet valid'],
  DEV_RELEASE: ['试运行密钥签发（非生产结果）', 'Dev release'],
  RESULT_MISMATCH: ['结果摘要不符', 'Result hash mismatch'],
  REQUEST_MISMATCH: ['请求摘要不符', 'Request hash mismatch'],
} as const satisfies Record<VerifyFailure, Names>

export const AUDIT_PROBLEM_NAMES = {
  TORN_LAST_LINE: ['最后一行不完整', 'The last line is torn'],
  UNREADABLE_ENTRY: ['条目无法解析', 'An entry cannot be read'],
  ENTRY_CHANGED: ['条目内容被修改', 'An entry was changed'],
  ENTRY_REMOVED: ['条目被删除', 'An entry was removed'],
  ENTRY_INSERTED: ['条目被插入', 'An entry was inserted'],
  ENTRIES_REORDERED: ['条目顺序被调换', 'Entries were reordered'],
  CHAIN_BROKEN: ['哈希链断裂', 'The chain is broken'],
  CHECKPOINT_INVALID: ['签名检查点无效', 'A checkpoint signature is invalid'],
  HEAD_INVALID: ['所给日志头签名无效', 'The head is not validly signed'],
  HEAD_MISMATCH: ['日志尾部被改写', 'The tail was rewritten'],
  TRUNCATED: ['日志被截短', 'The trail was truncated'],
} as const satisfies Record<AuditProblem, Names>

export const LOGIN_FAILURE_NAMES = {
  UNKNOWN_API_KEY: ['API 密钥不存在', 'Unknown API key'],
  CONSUMER_SUSPENDED: ['数据使用方已暂停', 'Consumer suspended'],
  INVALID_TOKEN: ['平台令牌无效或已过期', 'Invalid or expired token'],
  PRINCIPAL_SUSPENDED: ['令牌持有人已暂停', 'Holder suspended'],
  PRINCIPAL_REVOKED: ['令牌持有人已清退', 'Holder revoked'],
  TOKEN_REVOKED: ['令牌已作废', 'Token revoked'],
} as const satisfies Record<LoginFailure, Names>

export const CONSENT_FAILURE_NAMES = {
  MISSING: ['未附本人授权', 'No consent'],
  MALFORMED: ['授权格式不正确', 'Malformed consent'],
  BAD_SIGNATURE: ['授权签名不正确', 'Bad signature'],
  EXPIRED: ['授权已过期', 'Consent expired'],
  SUBJECT_MISMATCH: ['授权人与查询对象不符', 'Another subject'],
  PRODUCT_MISMATCH: ['授权的产品不符', 'Another product'],
  CONSUMER_MISMATCH: ['授权的使用方不符', 'Another consumer'],
  USED_UP: ['授权次数已用完', 'Consent used up'],
} as const satisfies Record<ConsentFailure, Names>
