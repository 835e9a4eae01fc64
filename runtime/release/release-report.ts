/**
 * The automatic report the reviewers of a dataset or report read (出域审核): what was checked, what
 * the rules changed, and — as plainly — what no rule could examine, so that two operators never
 * read "all passed" over an output nothing looked at. Each item has a stable code, a status, its
 * figures, and a sentence in Chinese (the reviewers' language; the console can switch to English
 * from the code and figures).
 */

export type ReportStatus = 'passed' | 'applied' | 'flagged' | 'not_checkable'

export type ReportItem = {
  readonly check: string
  readonly status: ReportStatus
  readonly figures?: Readonly<Record<string, number | string>>
  /** The item in Chinese, for the reviewers. */
  readonly zh: string
}

type Figures = Readonly<Record<string, number | string>>

const item = (check: string, status: ReportStatus, zh: string, figures?: Figures): ReportItem => (figures === undefined ? { check, status, zh } : { check, status, zh, figures })

/** The aggregates: computed by the runtime, and what the disclosure rules did to them. */
export function aggregateItems(a: {
  readonly tables: number
  readonly cells: number
  readonly released: number
  readonly withheld: Readonly<Record<string, number>>
  readonly zeros: number
  readonly classDisclosures: number
  readonly secondary: number
  readonly exposedEarlier: number
  /** Protection intervals of withheld counts (protection-intervals.ts). */
  readonly intervals?: { readonly checked: number; readonly secondary: number; readonly narrowedEarlier: number; readonly unchecked: number; readonly range: number }
  readonly privacy?: { readonly epsilon: number; readonly remaining: number }
}): ReportItem[] {
  if (a.tables === 0) return []
  const out: ReportItem[] = [
    item('RUNTIME_AGGREGATES', 'applied', `全部 ${a.tables} 张汇总表由运行时依据各统计单元的贡献计算，证据（贡献者、计数、最大贡献）来自数据本身而非产品声明；共 ${a.cells} 个单元格，发布 ${a.released} 个。`, { tables: a.tables, cells: a.cells, released: a.released }),
  ]
  if (a.privacy !== undefined) {
    out.push(item('DIFFERENTIAL_PRIVACY', 'applied', `按运营机构要求以差分隐私发布：每个单元格的计数与合计加入离散拉普拉斯噪声，本次消耗 ε=${a.privacy.epsilon}，该调用方本期剩余 ε=${a.privacy.remaining}。`, { epsilon: a.privacy.epsilon, remaining: a.privacy.remaining }))
    return out
  }
  const minCount = a.withheld.MIN_COUNT ?? 0
  out.push(item('MIN_COUNT', minCount > 0 ? 'applied' : 'passed', minCount > 0 ? `${minCount} 个单元格贡献者少于最低计数，已整格隐匿。` : '所有单元格的贡献者均不少于最低计数。', { withheld: minCount }))
  const magnitude = (a.withheld.DOMINANCE ?? 0) + (a.withheld.P_PERCENT ?? 0)
  out.push(item('DOMINANCE', magnitude > 0 ? 'applied' : 'passed', magnitude > 0 ? `${magnitude} 个合计或均值因少数贡献者占比过高（支配规则或 p% 规则）被隐匿。` : '合计与均值均通过支配规则和 p% 规则。', { withheld: magnitude }))
  const fits = a.withheld.RESIDUAL_DF ?? 0
  if (fits > 0) out.push(item('RESIDUAL_DF', 'applied', `${fits} 个回归因残差自由度不足 10 被隐匿（回归只发布系数，从不发布残差或逐条预测）。`, { withheld: fits }))
  const extremes = a.withheld.EXTREME_VALUE ?? 0
  if (extremes > 0) out.push(item('EXTREME_VALUE', 'applied', `${extremes} 个最小值、最大值或分位数因与之相同或两侧的贡献者不足最低计数而被隐匿。`, { withheld: extremes }))
  out.push(item('CROSS_RELEASE_AUDIT', a.secondary > 0 ? 'applied' : 'passed', a.secondary > 0 ? `与该调用方此前收到的全部发布合并核算后，另有 ${a.secondary} 个单元格被隐匿，以免差分、追踪或关联表推出被隐匿的单元格或少于最低计数的人群。` : '与该调用方此前收到的全部发布合并核算，没有被隐匿的单元格或少数人群可被精确推出。', { secondary: a.secondary }))
  const iv = a.intervals
  if (iv !== undefined && iv.checked + iv.unchecked > 0) {
    out.push(
      item(
        'PROTECTION_INTERVAL',
        iv.secondary > 0 ? 'applied' : 'passed',
        `对 ${iv.checked} 个被隐匿的计数，按调用方持有的全部单元格（线性规划）求其可推断区间，要求至少向下延伸 ${iv.range}（或到 0）、向上延伸 ${iv.range}。${iv.secondary > 0 ? `为此另隐匿 ${iv.secondary} 个单元格。` : '全部满足，无需另行隐匿。'}`,
        { checked: iv.checked, secondary: iv.secondary, range: iv.range },
      ),
    )
    if (iv.unchecked > 0) out.push(item('INTERVALS_UNCHECKED', 'flagged', `另有 ${iv.unchecked} 个被隐匿的计数超出本次区间核算的计算上限，未求其可推断区间（已做精确推导核算）；单元格很多的表请复核其隐匿模式。`, { unchecked: iv.unchecked }))
    if (iv.narrowedEarlier > 0) out.push(item('NARROWED_EARLIER', 'flagged', `有 ${iv.narrowedEarlier} 个被隐匿的计数仅凭该调用方此前已收到的发布即可推断到区间要求之内，本次发布无法补救，请复核此前的发布。`, { count: iv.narrowedEarlier }))
  }
  if (a.exposedEarlier > 0) out.push(item('EXPOSED_EARLIER', 'flagged', `有 ${a.exposedEarlier} 个被隐匿的单元格或少数人群仅凭该调用方此前已收到的发布即可推出，本次发布无法补救，请复核此前的发布。`, { count: a.exposedEarlier }))
  if (a.zeros > 0) out.push(item('ZEROS', 'flagged', `${a.zeros} 个空单元格以 0 发布：请确认“该组没有人”本身不泄露信息。`, { zeros: a.zeros }))
  if (a.classDisclosures > 0) out.push(item('CLASS_DISCLOSURE', 'flagged', `${a.classDisclosures} 个群组的全部成员落在同一取值上（属性泄露）：知道某人属于该组即知其取值，请复核。`, { groups: a.classDisclosures }))
  return out
}

/** Row-level release: what was released, what k-anonymity withheld, and that no statistical rule applies. */
export function rowItems(r: { readonly released: number; readonly withheld: number; readonly identifiers: boolean; readonly quasi: number }): ReportItem[] {
  return [
    item('ROW_LEVEL', 'flagged', `逐条发布 ${r.released} 行（运营机构已批准向该调用方逐条发布），标识为${r.identifiers ? '经批准的真实标识' : '仅对该调用方有效的假名'}。`, { rows: r.released, identifiers: r.identifiers ? 'yes' : 'no' }),
    r.identifiers
      ? item('K_ANONYMITY', 'not_checkable', '以经批准的真实标识发布，每一行本身即指明其单位，k-匿名不适用。', { withheld: 0 })
      : item('K_ANONYMITY', r.quasi === 0 ? 'not_checkable' : r.withheld > 0 ? 'applied' : 'passed', r.quasi === 0 ? '产品未声明准标识字段，未做 k-匿名检查。' : r.withheld > 0 ? `${r.withheld} 行因其准标识组合少于最低计数而被隐匿（k-匿名）。` : '所有行的准标识组合均不少于最低计数（k-匿名）。', { withheld: r.withheld }),
    item('ROW_LEVEL_NOT_STATISTICAL', 'not_checkable', '逐条数据不适用任何统计披露规则：每一行说的就是一个单位，请人工确认字段的最小必要性。'),
  ]
}

/** What no rule examines, said every time. */
export function limitItems(): ReportItem[] {
  return [
    item('INEQUALITY_INFERENCE', 'not_checkable', '区间核算只针对被隐匿的计数（线性规划松弛，未取整）；被隐匿的合计、少数人群（未被隐匿的小原子）只防精确推导，不防利用非负性或取值范围的区间推断。'),
    item('COLLUSION', 'not_checkable', '不同调用方合谋汇总各自收到的结果不在核算范围内。'),
  ]
}

/** The release checks of the exact bytes (check-release.ts), as report items. */
export function checkItems(passed: readonly string[]): ReportItem[] {
  const names: Readonly<Record<string, string>> = {
    SCHEMA: '输出符合声明的结构',
    IDENTIFIERS: '输出中没有直接标识（身份证号、统一社会信用代码、手机号、银行卡号、车牌，含校验位错误或写成数字的形式）',
    FREE_TEXT: '没有未声明的自由文本',
    MINIMUM_NECESSARY: '应答格式有界且不含个人信息',
    GUARDS: '没有触发调用量与差分防护',
  }
  return passed.map((check) => item(check, 'passed', names[check] ?? check))
}
