/**
 * Monthly statements from the meter (the release ledger): what a consumer owes and what a partner
 * earns, per month and product. Each call is charged at the price it was made at (recorded with
 * the release), so a later price change or cap never re-prices past calls; refused calls are
 * counted and never charged. Amounts are kept in 分 and shown in yuan.
 */
import type { ReleaseStore, UsageRow } from '../release/release-store.ts'

export type StatementLine = { readonly month: string; readonly product: string; readonly calls: number; readonly refused: number; readonly amount: number }
export type Statement = { readonly lines: readonly StatementLine[]; readonly total: number }

const yuan = (fen: number) => fen / 100

function statementOf(rows: readonly UsageRow[]): Statement {
  const lines = new Map<string, { month: string; product: string; calls: number; refused: number; fen: number }>()
  for (const r of rows) {
    const key = `${r.month}/${r.product}`
    const line = lines.get(key) ?? { month: r.month, product: r.product, calls: 0, refused: 0, fen: 0 }
    line.calls += r.released
    line.refused += r.refused
    line.fen += r.feeFen
    lines.set(key, line)
  }
  const all = [...lines.values()]
  return {
    lines: all.map((l) => ({ month: l.month, product: l.product, calls: l.calls, refused: l.refused, amount: yuan(l.fen) })),
    total: yuan(all.reduce((t, l) => t + l.fen, 0)),
  }
}

/** What a consumer owes: its calls per month and product. */
export async function consumerStatement(releases: ReleaseStore, consumer: string, month?: string): Promise<Statement & { consumer: string }> {
  return { consumer, ...statementOf(await releases.usage({ consumer, ...(month === undefined ? {} : { month }) })) }
}

/** What a partner earns: the calls to its products per month and product, all consumers together. */
export async function partnerStatement(releases: ReleaseStore, partner: string, month?: string): Promise<Statement & { partner: string }> {
  return { partner, ...statementOf(await releases.usage({ partner, ...(month === undefined ? {} : { month }) })) }
}

/** The operators' month: one statement per consumer and per partner. */
export async function monthlyStatements(releases: ReleaseStore, month?: string): Promise<{ consumers: (Statement & { consumer: string })[]; partners: (Statement & { partner: string })[] }> {
  const rows = await releases.usage(month === undefined ? {} : { month })
  const group = (by: (r: UsageRow) => string) => {
    const groups = new Map<string, UsageRow[]>()
    for (const r of rows) groups.set(by(r), [...(groups.get(by(r)) ?? []), r])
    return [...groups]
  }
  return {
    consumers: group((r) => r.consumer).map(([consumer, rs]) => ({ consumer, ...statementOf(rs) })),
    partners: group((r) => r.partner).map(([partner, rs]) => ({ partner, ...statementOf(rs) })),
  }
}
