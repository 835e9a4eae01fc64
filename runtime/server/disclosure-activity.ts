/**
 * The usage disclosure over a period of days (数据使用情况披露), for the public: calls and refusals
 * per day and product, fees per month, refusals per rule. It names no consumer. Days are UTC days,
 * like every time the ledger stores; a period is at most 366 days and defaults to the last 30.
 */
import { RuntimeError } from '../errors.ts'
import type { ReleaseActivity, ReleaseStore } from '../release/release-store.ts'

export const MAX_ACTIVITY_DAYS = 366
const DEFAULT_ACTIVITY_DAYS = 30
const DAY_MS = 86_400_000

export type ActivityPeriod = { readonly since: string; readonly until: string }

/** Milliseconds at the start of a `YYYY-MM-DD` UTC day; undefined for a day the calendar does not have. */
function dayStart(day: string): number | undefined {
  const ms = Date.parse(`${day}T00:00:00Z`)
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? undefined : ms
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The period a query asks for: until defaults to today, since to 29 days before until. */
export function activityPeriod(query: { readonly since?: string; readonly until?: string }, now: number = Date.now()): ActivityPeriod {
  const until = query.until === undefined ? Date.parse(`${dayOf(now)}T00:00:00Z`) : dayStart(query.until)
  if (until === undefined) throw new RuntimeError('ERR_PARAMS_INVALID', 'until is not a date', { details: { until: query.until } })
  const since = query.since === undefined ? until - (DEFAULT_ACTIVITY_DAYS - 1) * DAY_MS : dayStart(query.since)
  if (since === undefined) throw new RuntimeError('ERR_PARAMS_INVALID', 'since is not a date', { details: { since: query.since } })
  if (since > until) throw new RuntimeError('ERR_PARAMS_INVALID', 'since is after until')
  const days = (until - since) / DAY_MS + 1
  if (days > MAX_ACTIVITY_DAYS) throw new RuntimeError('ERR_PARAMS_INVALID', 'The period is longer than 366 days', { details: { days, maxDays: MAX_ACTIVITY_DAYS } })
  return { since: dayOf(since), until: dayOf(until) }
}

export async function disclosureActivity(releases: ReleaseStore, query: { readonly since?: string; readonly until?: string }): Promise<ActivityPeriod & ReleaseActivity> {
  const period = activityPeriod(query)
  return { ...period, ...(await releases.activity(period.since, period.until)) }
}
