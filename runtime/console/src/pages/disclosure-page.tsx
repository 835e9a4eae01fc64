/**
 * 数据使用情况披露: how the public data was used, for everyone. Calls per product per day, fees
 * per month (元) and releases refused per rule as charts, and the month's usage per product as a
 * table, products by their titles and rules by their names. A figure from fewer consumers than the
 * disclosure's threshold is withheld and said to be; no consumer is named anywhere on this page.
 */
import { useMemo, useState } from 'preact/hooks'
import { REFUSAL_NAMES } from '../../../dictionary/index.ts'
import { api, query } from '../api.ts'
import { useDirectory } from '../directory.ts'
import { cityDay, yuan } from '../format.ts'
import { useName, useT } from '../i18n.ts'
import { BarChart, type Series } from '../parts/bar-chart.tsx'
import { ErrorNote, Loading } from '../parts/feedback.tsx'
import { MonthlyTable } from '../parts/monthly-table.tsx'
import { useLoad } from '../parts/use-load.ts'

/** Cells from fewer than `minConsumers` consumers come withheld: null. */
type Activity = {
  since: string
  until: string
  minConsumers: number
  daily: { day: string; product: string; calls: number | null; refused: number | null }[]
  monthlyFees: { month: string; product: string; feeFen: number | null }[]
  refusalsByRule: { rule: string; count: number | null }[]
  /** Titles of the products named, those off the public list too. */
  productTitles?: Record<string, string>
}
type MonthlyUsage = { minConsumers: number; productTitles?: Record<string, string>; usage: { product: string; month: string; calls: number | null; refused: number | null; consumers: number }[] }

const DAY = 86_400_000

/** The calendar days from `since` to `until`, both included (day arithmetic: no zone is involved). */
function daysBetween(since: string, until: string): string[] {
  const out: string[] = []
  for (let d = Date.parse(`${since}T00:00:00Z`); d <= Date.parse(`${until}T00:00:00Z`); d += DAY) out.push(new Date(d).toISOString().slice(0, 10))
  return out
}

/** One series per product over the given labels, from rows of (label, product, value). */
function seriesByProduct<R>(rows: readonly R[], labels: readonly string[], labelOf: (r: R) => string, productOf: (r: R) => string, valueOf: (r: R) => number | null, titleOf: (id: string) => string): Series[] {
  const products = [...new Set(rows.map(productOf))].sort()
  const at = new Map(labels.map((l, i) => [l, i]))
  return products.map((product) => {
    const values: (number | null)[] = labels.map(() => 0)
    for (const r of rows) {
      const i = at.get(labelOf(r))
      const value = valueOf(r)
      if (productOf(r) === product && i !== undefined) values[i] = value === null ? null : (values[i] ?? 0) + value
    }
    return { label: titleOf(product), values }
  })
}

export function DisclosurePage() {
  const t = useT()
  const name = useName()
  const directory = useDirectory()
  const [days, setDays] = useState(30)
  // Beijing's days, as the ledger counts them
  const until = cityDay()
  const since = cityDay(Date.now() - (days - 1) * DAY)
  const activity = useLoad(() => api<Activity>(`/v1/disclosure/activity${query({ since, until })}`), [since, until])
  const usage = useLoad(() => api<MonthlyUsage>('/v1/disclosure'), [])
  // a product off the public list (suspended, held) by the title the disclosure gives
  const titleOf = (id: string) => directory.products.get(id) ?? activity.data?.productTitles?.[id] ?? usage.data?.productTitles?.[id] ?? id
  const withheldOf = (k: number) => t('withheldCell').replaceAll('{k}', String(k))
  const charts = useMemo(() => {
    const a = activity.data
    if (a === undefined) return undefined
    const dayLabels = daysBetween(a.since, a.until)
    const months = [...new Set(a.monthlyFees.map((f) => f.month))].sort()
    return {
      withheld: withheldOf(a.minConsumers),
      note: t('withheld').replaceAll('{k}', String(a.minConsumers)),
      dayLabels,
      calls: seriesByProduct(a.daily, dayLabels, (r) => r.day, (r) => r.product, (r) => r.calls, titleOf),
      months,
      fees: seriesByProduct(a.monthlyFees, months, (r) => r.month, (r) => r.product, (r) => (r.feeFen === null ? null : r.feeFen / 100), titleOf),
      rules: a.refusalsByRule.map((r) => name(REFUSAL_NAMES, r.rule)),
      refusals: [{ label: t('refused'), values: a.refusalsByRule.map((r) => r.count) }],
    }
  }, [activity.data, usage.data, t, directory])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_disclosure')}</h1>
      <fieldset class="row">
        <legend>{t('range')}</legend>
        {[30, 90, 365].map((n) => (
          <label key={n} class="radio">
            <input type="radio" name="range" checked={days === n} onChange={() => setDays(n)} />
            {t(n === 30 ? 'last30' : n === 90 ? 'last90' : 'last365')}
          </label>
        ))}
      </fieldset>
      <p class="muted small">{t('daysAreServerDays')}</p>
      <ErrorNote error={activity.error ?? usage.error} />
      {activity.loading && charts === undefined ? <Loading /> : null}
      {charts === undefined ? null : (
        <div class="charts">
          <BarChart testId="chart-calls" title={t('chartCalls')} labelHeader={t('day')} labels={charts.dayLabels} series={charts.calls} stacked withheld={charts.withheld} note={charts.note} />
          <BarChart testId="chart-fees" title={t('chartFees')} labelHeader={t('month')} labels={charts.months} series={charts.fees} stacked withheld={charts.withheld} note={charts.note} format={yuan} />
          <BarChart testId="chart-refusals" title={t('chartRefusals')} labelHeader={t('rule')} labels={charts.rules} series={charts.refusals} horizontal withheld={charts.withheld} note={charts.note} />
        </div>
      )}
      <h2>{t('monthlyUsage')}</h2>
      {usage.data === undefined ? null : <MonthlyTable rows={usage.data.usage} titles={usage.data.productTitles} last={{ label: t('consumers'), value: (u) => String(u.consumers) }} withheld={withheldOf(usage.data.minConsumers)} />}
    </section>
  )
}
