/**
 * The usage disclosure (数据使用情况披露), for the public: calls and refusals per product by month
 * and by day, fees per month, refusals per rule. It names no consumer, and a cell or a rule's count
 * that comes from fewer than three consumers is withheld (null, `suppressed`): otherwise one bank's
 * volume, or the days someone tripped the differencing guard, could be read off it (a month's fee
 * too: divided by the public price it gives the calls).
 * Days are Beijing's (city-calendar.ts), like the days the ledger records; a period is at most 366
 * days and defaults to the last 30.
 */
import { cityDay, cityDayStart } from '../city-calendar.ts'
import { paramsInvalid, RuntimeError } from '../errors.ts'
import type { ReleaseActivity, ReleaseStore } from '../release/release-store.ts'

export const MAX_ACTIVITY_DAYS = 366
/** A published cell comes from at least this many distinct consumers. */
export const DISCLOSURE_MIN_CONSUMERS = 3
const DEFAULT_ACTIVITY_DAYS = 30
const DAY_MS = 86_400_000

export type ActivityPeriod = { readonly since: string; readonly until: string }


/** The period a query asks for: until defaults to today, since to 29 days before until. */
export function activityPeriod(query: { readonly since?: string; readonly until?: string }, now: number = Date.now()): ActivityPeriod {
  const until = cityDayStart(query.until ?? cityDay(now))
  if (until === undefined) throw paramsInvalid('until is not a date (YYYY-MM-DD)', 'query:/until')
  const since = query.since === undefined ? until - (DEFAULT_ACTIVITY_DAYS - 1) * DAY_MS : cityDayStart(query.since)
  if (since === undefined) throw paramsInvalid('since is not a date (YYYY-MM-DD)', 'query:/since')
  if (since > until) throw paramsInvalid('since is after until', 'query:/since')
  const days = (until - since) / DAY_MS + 1
  if (days > MAX_ACTIVITY_DAYS) throw paramsInvalid('The period is longer than 366 days', 'query:/since', { days, maxDays: MAX_ACTIVITY_DAYS })
  return { since: cityDay(since), until: cityDay(until) }
}

type Withheld = { readonly suppressed: true }
/** A cell's calls and refusals, or neither when too few consumers made them. */
type Counts = { readonly calls: number; readonly refused: number } | ({ readonly calls: null; readonly refused: null } & Withheld)

function countsOf(calls: number, refused: number, consumers: number, minConsumers: number): Counts {
  return consumers >= minConsumers ? { calls, refused } : { calls: null, refused: null, suppressed: true }
}

export type PublicActivity = ActivityPeriod & {
  readonly minConsumers: number
  readonly daily: readonly ({ readonly day: string; readonly product: string } & Counts)[]
  readonly monthlyFees: readonly ({ readonly month: string; readonly product: string } & ({ readonly feeFen: number } | ({ readonly feeFen: null } & Withheld)))[]
  readonly refusalsByRule: readonly ({ readonly rule: string } & ({ readonly count: number } | ({ readonly count: null } & Withheld)))[]
}

/** The disclosure of a period, cells from too few consumers withheld (their order tells nothing either). */
export function publicActivity(period: ActivityPeriod, activity: ReleaseActivity, minConsumers: number = DISCLOSURE_MIN_CONSUMERS): PublicActivity {
  const enough = (cell: { readonly consumers: number }) => cell.consumers >= minConsumers
  return {
    ...period,
    minConsumers,
    daily: activity.daily.map(({ day, product, calls, refused, consumers }) => ({ day, product, ...countsOf(calls, refused, consumers, minConsumers) })),
    monthlyFees: activity.monthlyFees.map(({ month, product, feeFen, consumers }) =>
      enough({ consumers }) ? { month, product, feeFen } : { month, product, feeFen: null, suppressed: true as const },
    ),
    refusalsByRule: [
      ...activity.refusalsByRule.filter(enough).map(({ rule, count }) => ({ rule, count })),
      ...activity.refusalsByRule
        .filter((r) => !enough(r))
        .map(({ rule }) => ({ rule, count: null, suppressed: true as const }))
        .sort((a, b) => a.rule.localeCompare(b.rule)),
    ],
  }
}

type MonthlyUsage = { readonly product: string; readonly month: string; readonly consumers: number } & Counts

/** Calls and refusals per product and month, with how many consumers made them. */
export async function monthlyDisclosure(releases: ReleaseStore, month?: string, minConsumers: number = DISCLOSURE_MIN_CONSUMERS): Promise<{ readonly minConsumers: number; readonly usage: readonly MonthlyUsage[] }> {
  const byProduct = new Map<string, { product: string; month: string; calls: number; refused: number; consumers: Set<string> }>()
  for (const r of await releases.usage(month === undefined ? {} : { month })) {
    const key = `${r.product}/${r.month}`
    const entry = byProduct.get(key) ?? { product: r.product, month: r.month, calls: 0, refused: 0, consumers: new Set<string>() }
    entry.calls += r.released
    entry.refused += r.refused
    entry.consumers.add(r.consumer)
    byProduct.set(key, entry)
  }
  return {
    minConsumers,
    usage: [...byProduct.values()].map(({ product, month: m, calls, refused, consumers }) => ({ product, month: m, consumers: consumers.size, ...countsOf(calls, refused, consumers.size, minConsumers) })),
  }
}

export async function disclosureActivity(releases: ReleaseStore, query: { readonly since?: string; readonly until?: string }): Promise<PublicActivity> {
  const period = activityPeriod(query)
  return publicActivity(period, await releases.activity(period.since, period.until))
}
