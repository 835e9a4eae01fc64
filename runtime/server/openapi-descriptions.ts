/**
 * What the OpenAPI document (/docs) says of each operation, in Chinese and English: a summary, a
 * description of who calls it and what happens, an example body where the operation takes one,
 * and the error answer every operation can give. Kept apart from the routes' schemas: it changes
 * the document only, never what a request is validated or answered with. A test checks that every
 * operation has its entry and that every example passes the operation's own validation.
 */
type Words = readonly [zh: string, en: string]

export type OperationText = {
  readonly summary: Words
  readonly description: Words
  /** A body the operation accepts as it stands (checked by a test against the live route). */
  readonly example?: Readonly<Record<string, unknown>>
}

const REASON = { reason: '合作方违反保密承诺，暂停以便调查' }

/** `METHOD /path` (fastify's path syntax) → its text. */
export const OPERATION_TEXTS: Readonly<Record<string, OperationText>> = {
  'GET /health': { summary: ['存活检查', 'Liveness'], description: ['进程在运行即返回 200。', 'Answers 200 while the process runs.'] },
  'GET /.well-known/jwks.json': {
    summary: ['签名公钥（JWKS）', 'Signing keys (JWKS)'],
    description: ['验证出域结果签名所用的公钥集合；轮换后旧公钥仍在其中，直到归档。', 'The public keys that verify signed releases; a rotated key stays here until it is archived.'],
  },
  'GET /v1/ready': { summary: ['就绪检查', 'Readiness'], description: ['产品、索引和沙箱预热完成后返回 200，之前返回 503。', 'Answers 200 once products, indexes and sandboxes are warm, 503 before.'] },
  'GET /v1/catalog': { summary: ['数据目录', 'Data catalog'], description: ['各数据表及字段的定义、分级和来源部门，不含任何数据。', 'Every table and field definition with its level and source department; no data.'] },
  'GET /v1/products': { summary: ['产品清单公示', 'Published products'], description: ['已发布产品（每个产品的当前版本）：类别、提供方、数据来源、价格和代码哈希。', 'Published products (the current version of each): category, provider, sources, price and code hash.'] },
  'GET /v1/disclosure': { summary: ['数据使用情况披露（月度）', 'Usage disclosure (month)'], description: ['某月各产品的调用量与费用；来自少于三家使用方的数字不予显示。', 'Calls and fees per product in a month; a figure from fewer than three consumers is withheld.'] },
  'GET /v1/disclosure/activity': { summary: ['数据使用情况披露（按日）', 'Usage disclosure (days)'], description: ['按日调用量、按月费用和按规则的拒绝次数；少于三家使用方的数字不予显示。', 'Calls per day, fees per month and refusals per rule; a figure from fewer than three consumers is withheld.'] },
  'POST /v1/products/{id}/invoke': {
    summary: ['调用产品（单个主体）', 'Invoke a product (one entity)'],
    description: [
      '数据使用方以 API 密钥调用单主体产品，返回经检查并签名的结果（release 为 JWS，可用 JWKS 验证）。可用 version 指明版本：当前版本，或运营人员保留调用期限的旧版本。标识号校验位错误返回 400 及问题路径；查无此主体返回 404。',
      'A consumer calls a one-entity product with its API key and gets a checked, signed result (release is a JWS that verifies against the JWKS). version names a version: the published one, or a retired one the operators keep callable. A wrong check digit answers 400 with the problem\'s path; an unknown entity 404.',
    ],
    example: { input: { uscc: '91340100MA2T3X4Y74' } },
  },
  'POST /v1/products/{id}/runs': {
    summary: ['运行数据集或报告产品', 'Run a dataset or report product'],
    description: ['结果进入出域审核队列，两名运营人员批准后签名发放；用 GET /v1/runs 查看状态。', 'The result waits in the release review queue and is signed once two operators approve; see GET /v1/runs for its status.'],
    example: { input: {} },
  },
  'GET /v1/usage': { summary: ['我的用量与费用', 'My usage and charges'], description: ['本使用方某月各产品的调用次数和费用（元）。', 'This consumer\'s calls and charges (yuan) per product in a month.'] },
  'GET /v1/runs': { summary: ['我的运行记录', 'My runs'], description: ['本使用方的数据集和报告运行：待审核、已发放、已驳回或被拒绝。', 'This consumer\'s dataset and report runs: pending, released, rejected or refused.'] },
  'GET /v1/releases/{id}': { summary: ['下载已审核的出域结果', 'Download a reviewed release'], description: ['审核通过后返回签名结果（JWS）；仅限发起运行的使用方。', 'The signed release (JWS) once reviewed; only for the consumer that ran it.'] },
  'POST /v1/partner/register': {
    summary: ['合作方登记', 'Register as a partner'],
    description: ['合作方以平台令牌登记机构名称、统一社会信用代码、联系人，并确认保密承诺。', 'A partner registers its name, USCC and contact with its platform token and acknowledges confidentiality.'],
    example: { name: '合肥数智科技有限公司', uscc: '91340100MA2T3X4Y74', contact: 'dpo@acme.example', confidentialityAcknowledged: true },
  },
  'GET /v1/partner': { summary: ['本合作方信息', 'This partner'], description: ['登记信息与状态。', 'Its registration and standing.'] },
  'POST /v1/partner/scenarios': {
    summary: ['提交场景申请', 'Request a scenario'],
    description: ['一场景一审核：逐表列出所需字段及用途说明；单主体产品须为每张表指定键字段（key）。', 'One scenario, one review: each table\'s fields with a justification; a one-entity product names each table\'s key field.'],
    example: { product: 'enterprise-credit-score', purpose: '为银行提供企业信用贷评分', category: '产业发展', tables: { enterprise_basic: { key: 'uscc', fields: { status: '仅评估存续企业', registered_capital: '注册资本区间' } } } },
  },
  'GET /v1/partner/scenarios': { summary: ['我的场景及审核结果', 'My scenarios and their decisions'], description: ['每个字段的审核结果（批准及脱敏方式，或驳回理由）和场景状态。', 'Each field\'s decision (approved with its mask, or denied with the reason) and the scenario\'s status.'] },
  'PUT /v1/partner/products/{id}/versions/{version}': {
    summary: ['上传产品版本源码', 'Upload a version\'s sources'],
    description: ['上传 TypeScript 源码，服务器进行类型检查并打包，返回代码哈希（与 indomain hash 在任何目录的结果一致）。', 'Uploads TypeScript sources; the server type-checks and bundles them and answers the code hash (the same as indomain hash prints from any folder).'],
    example: { files: { 'product.ts': "import { defineProduct } from 'indomain/sdk'\n// …\n" } },
  },
  'POST /v1/partner/products/{id}/versions/{version}/dev-run': {
    summary: ['样例数据试运行', 'Dev-run on sample data'],
    description: ['在合成样例数据上运行，按运营人员的场景决定（如有）读取字段，并给出出域检查结果。', 'Runs on synthetic sample data, reading fields as the operator decided the scenario (when decided), with the release checks\' verdict.'],
    example: { pick: 1 },
  },
  'POST /v1/partner/products/{id}/versions/{version}/submit': {
    summary: ['提交版本审查', 'Submit a version for review'],
    description: ['在已批准的场景下提交，进入产品审查。', 'Submits under an approved scenario for the operators\' review.'],
    example: { scenario: 'scn-0123456789' },
  },
  'POST /v1/partner/products/{id}/versions/{version}/publish': {
    summary: ['发布版本', 'Publish a version'],
    description: ['发布已批准的版本（价格以分计，不超过运营人员设定的上限）；旧版本退出产品清单。场景无法支撑产品时拒绝并说明原因。', 'Publishes an approved version (price in fen, within the operator\'s cap); older versions leave the public list. Refused, with its causes, when the scenario cannot serve the product.'],
    example: { pricePerCallFen: 40 },
  },
  'GET /v1/partner/products': { summary: ['我的产品版本', 'My product versions'], description: ['上传、审查中、已批准、已驳回（含理由）和已发布的版本。', 'Uploaded, submitted, approved, rejected (with reasons) and published versions.'] },
  'GET /v1/partner/earnings': { summary: ['我的收入', 'My earnings'], description: ['某月各产品的调用次数与收入（元）。', 'Calls and earnings (yuan) per product in a month.'] },
  'GET /v1/operator/scenarios': { summary: ['场景列表', 'Scenarios'], description: ['按状态筛选的场景申请。', 'Scenario requests, by status.'] },
  'GET /v1/operator/scenarios/{id}': { summary: ['场景详情', 'A scenario'], description: ['逐字段的申请、用途说明、分级和审核历史。', 'Its fields with justifications, levels and decision history.'] },
  'POST /v1/operator/scenarios/{id}/decision': {
    summary: ['逐字段审核场景', 'Decide a scenario field by field'],
    description: ['逐字段批准（指定脱敏方式）或驳回（附理由），设定每张表的键字段（keys）、行过滤、出域规则和有效期。', 'Approve each field with a mask or deny it with a reason; set each table\'s key field (keys), row filters, release rules and the expiry.'],
    example: { approveRest: true, keys: { enterprise_basic: 'uscc' }, expiresOn: '2099-12-31' },
  },
  'POST /v1/operator/scenarios/{id}/deny': { summary: ['驳回整个场景', 'Deny a whole scenario'], description: ['附理由驳回，合作方可见理由。', 'With a reason the partner sees.'], example: { reason: '用途与申请字段不符' } },
  'POST /v1/operator/scenarios/{id}/revoke': { summary: ['撤销场景', 'Revoke a scenario'], description: ['立即停止使用该场景的数据视图。', 'Its views become unusable at once.'], example: { reason: '合作期满' } },
  'GET /v1/operator/versions': { summary: ['待审查的产品版本', 'Product versions to review'], description: ['按状态筛选的版本。', 'Versions, by status.'] },
  'GET /v1/operator/products/{id}/versions/{version}': { summary: ['产品审查材料', 'A version\'s review file'], description: ['清单、场景、代码哈希、试运行结果和当场计算的自动检查。', 'Manifest, scenario, code hash, dev run and checks computed now.'] },
  'POST /v1/operator/products/{id}/versions/{version}/review': {
    summary: ['审查产品版本', 'Review a product version'],
    description: [
      '批准或驳回（驳回须附理由）。自动检查未通过的版本只能以 override: true 并附理由越过检查批准，二者均记入审计日志；代码哈希不符时不可越过。',
      'Approve or reject (a rejection needs a reason). A version whose automatic checks fail is approved only with override: true and a reason, both audited; a code hash mismatch is never overridden.',
    ],
    example: { decision: 'reject', reason: '试运行未通过出域检查' },
  },
  'GET /v1/operator/releases': { summary: ['出域审核队列', 'Release review queue'], description: ['待审核、已发放、已驳回或被拒绝的结果。', 'Pending, released, rejected or refused releases.'] },
  'GET /v1/operator/releases/{id}': { summary: ['出域结果详情', 'A queued release'], description: ['自动检查报告和待出域的内容。', 'Its automatic report and queued output.'] },
  'POST /v1/operator/releases/{id}/review': {
    summary: ['审核出域结果', 'Review a queued release'],
    description: ['须两名不同的运营人员批准，任一人可附理由驳回。', 'Two different operators approve; either may reject with a reason.'],
    example: { decision: 'approve' },
  },
  'GET /v1/operator/price-caps': { summary: ['价格上限', 'Price caps'], description: ['各产品的每次调用价格上限（分）。', 'Each product\'s cap per call (fen).'] },
  'PUT /v1/operator/price-caps/{id}': { summary: ['设定价格上限', 'Set a price cap'], description: ['以分计；已发布价格不得超过。', 'In fen; a published price may not exceed it.'], example: { capFen: 40 } },
  'PUT /v1/operator/products/{id}/versions/{version}/callable-until': {
    summary: ['旧版本保留调用期限', 'Keep a retired version callable'],
    description: ['新版本发布后旧版本退出产品清单；运营人员可让旧版本在指定日期（北京时间，含当日）前仍可被指明版本的调用方调用，null 表示立即停止。', 'Publishing a version retires the previous one from the public list; an operator may keep it callable, by consumers that name it (version in the call), through a day (Beijing\'s, inclusive); null ends that.'],
    example: { until: '2099-12-31' },
  },
  'POST /v1/operator/products/{id}/reinstate': { summary: ['解除产品暂停', 'End a product\'s hold'], description: ['产品因多次失败被暂停后恢复服务。', 'Serves again after a hold for repeated failures.'], example: { reason: '合作方已修复' } },
  'GET /v1/operator/consumers': { summary: ['数据使用方', 'Consumers'], description: ['机构名称、状态和月度配额。', 'Names, standing and monthly quotas.'] },
  'POST /v1/operator/consumers': {
    summary: ['新增数据使用方', 'Add a consumer'],
    description: ['返回仅显示一次的 API 密钥。', 'Answers its API key, shown once.'],
    example: { id: 'bank-hs', name: '徽商银行', monthlyQuota: 10000 },
  },
  'POST /v1/operator/tokens': { summary: ['签发平台令牌', 'Issue a platform token'], description: ['为合作方或审计人员签发；运营人员令牌只能在命令行签发。', 'For a partner or an auditor; operator tokens come from the command line only.'], example: { role: 'partner', subject: 'acme-data' } },
  'GET /v1/operator/partners': { summary: ['合作方', 'Partners'], description: ['登记信息与状态。', 'Registrations and standing.'] },
  'POST /v1/operator/partners/{id}/suspend': { summary: ['暂停合作方', 'Suspend a partner'], description: ['其产品和令牌立即停用。', 'Its products and tokens stop at once.'], example: REASON },
  'POST /v1/operator/partners/{id}/reinstate': { summary: ['恢复合作方', 'Reinstate a partner'], description: ['产品恢复，旧令牌仍失效。', 'Its products return; old tokens stay dead.'], example: { reason: '调查结束' } },
  'POST /v1/operator/partners/{id}/revoke': { summary: ['终止合作方', 'Revoke a partner'], description: ['不可恢复：场景撤销，开发数据删除，日志保留。', 'Final: scenarios revoked, dev data deleted, logs kept.'], example: { reason: '合作终止' } },
  'POST /v1/operator/principals/{role}/{id}/suspend': { summary: ['暂停运营或审计人员', 'Suspend an operator or auditor'], description: ['其令牌立即失效。', 'Their tokens stop at once.'], example: REASON },
  'POST /v1/operator/principals/{role}/{id}/reinstate': { summary: ['恢复运营或审计人员', 'Reinstate an operator or auditor'], description: ['需签发新令牌。', 'A new token is needed.'], example: { reason: '调查结束' } },
  'POST /v1/operator/principals/{role}/{id}/revoke': { summary: ['终止运营或审计人员', 'Revoke an operator or auditor'], description: ['不可恢复。', 'Final.'], example: { reason: '离职' } },
  'POST /v1/operator/consumers/{id}/suspend': { summary: ['暂停数据使用方', 'Suspend a consumer'], description: ['其 API 密钥立即停用。', 'Its API key stops at once.'], example: { reason: '超出约定用途' } },
  'POST /v1/operator/consumers/{id}/reinstate': { summary: ['恢复数据使用方', 'Reinstate a consumer'], description: ['API 密钥恢复可用。', 'Its API key works again.'], example: { reason: '已整改' } },
  'GET /v1/operator/statements': { summary: ['月度结算', 'Monthly statements'], description: ['各使用方应付、各合作方应收（元）。', 'What each consumer owes and each partner earns (yuan).'] },
  'GET /v1/audit/entries': { summary: ['检索审计日志', 'Search the audit trail'], description: ['按主体、动作、对象和时间检索。', 'By actor, action, subject and time.'] },
  'GET /v1/audit/parties': { summary: ['审计日志中的机构名称', 'Names of the parties in the trail'], description: ['合作方与数据使用方的标识及机构名称，供审计人员阅读日志。', 'Partners\' and consumers\' ids with their institutions\' names, for auditors reading the trail.'] },
  'GET /v1/audit/verify': { summary: ['校验审计链', 'Verify the audit chain'], description: ['逐条校验哈希链，指出第一条异常记录。', 'Checks the hash chain and names the first bad entry.'] },
  'GET /v1/audit/head': { summary: ['审计链签名头', 'The signed head of the trail'], description: ['保存后可用 indomain audit verify --head 证明日志只增不改。', 'Keep it: indomain audit verify --head proves the trail only grew.'] },
}

/** The error answer of every operation, as the document shows it. */
const ERROR_ANSWER = {
  description: '错误：code 为固定错误码（见 docs/errors.md），message 为固定说明，problems 指出问题所在（路径与规则，不回显所提交的值） · Error: code from the fixed catalogue (docs/errors.md), a fixed message, and problems with their paths (never the values sent)',
  type: 'object',
  properties: {
    code: { type: 'string' },
    requestId: { type: 'string' },
    message: { type: 'string' },
    problems: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, problem: { type: 'string' } } } },
  },
  examples: [{ code: 'ERR_PARAMS_INVALID', requestId: 'req-mxdocltp-qvrm0yie', message: 'The request does not match the operation\'s schema', problems: [{ path: 'body:/purpose', problem: 'must NOT have fewer than 4 characters' }] }],
} as const

/** The document's view of one operation: its texts, its example and its error answer added. */
export function describeOperation(method: string, url: string, schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const text = OPERATION_TEXTS[`${method} ${url.replace(/:([A-Za-z]+)/g, '{$1}')}`]
  if (text === undefined) return { ...schema }
  const body = schema.body as Record<string, unknown> | undefined
  return {
    ...schema,
    summary: `${text.summary[0]} · ${text.summary[1]}`,
    description: `${text.description[0]}\n\n${text.description[1]}`,
    ...(body === undefined || text.example === undefined ? {} : { body: { ...body, examples: [text.example] } }),
    response: { ...(schema.response as Record<string, unknown> | undefined), '4XX': ERROR_ANSWER, '5XX': ERROR_ANSWER },
  }
}
