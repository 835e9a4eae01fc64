/**
 * Helpers partners need for scoring: month arithmetic on periods and dates, gap counting in
 * monthly records, bucketing and weighted scorecards with reason codes. Pure functions.
 */

/** Month number of a `YYYYMM` period or a `YYYY-MM-DD` date (year·12 + month − 1). */
export function monthIndex(value: string): number {
  const year = Number(value.slice(0, 4))
  const month = Number(value.length === 6 ? value.slice(4, 6) : value.slice(5, 7))
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError('expected a YYYYMM period or a YYYY-MM-DD date')
  }
  return year * 12 + month - 1
}

/**
 * Whole months from `from` to `to` (periods or dates; negative if `to` is earlier).
 * @example monthsBetween('2024-11-30', '2025-02-01') // 3
 */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from)
}

/**
 * Months from `value` to the as-of day; `Infinity` when `value` is null (never happened).
 * @example monthsSince('202510', '2025-12-31') // 2
 */
export function monthsSince(value: string | null | undefined, asOf: string): number {
  return value === null || value === undefined ? Infinity : monthsBetween(value, asOf)
}

/** The `YYYYMM` periods from `from` to `to`, inclusive. @example periodRange('202411', '202502') */
export function periodRange(from: string, to: string): string[] {
  const out: string[] = []
  for (let m = monthIndex(from); m <= monthIndex(to); m++) {
    out.push(`${Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, '0')}`)
  }
  return out
}

export type GapSummary = {
  /** Months in the window with no record. */
  readonly missing: number
  /** Longest run of consecutive months with no record. */
  readonly longest: number
  /** Consecutive months with no record ending at the window's last month (a current lapse). */
  readonly trailing: number
}

/**
 * Gaps in monthly records (e.g. social-insurance months paid) over a window of periods.
 * @example
 * ```ts
 * gapSummary(['202501', '202502', '202505'], '202501', '202506')
 * // { missing: 3, longest: 2, trailing: 1 }
 * ```
 */
export function gapSummary(periods: Iterable<string>, from: string, to: string): GapSummary {
  const start = monthIndex(from)
  const end = monthIndex(to)
  const present = new Set<number>()
  for (const p of periods) present.add(monthIndex(p))
  let missing = 0
  let longest = 0
  let run = 0
  for (let m = start; m <= end; m++) {
    if (present.has(m)) run = 0
    else {
      missing++
      run++
      if (run > longest) longest = run
    }
  }
  return { missing, longest, trailing: run }
}

/**
 * Index of the bucket `value` falls in: 0 below `bounds[0]`, …, `bounds.length` at or above the last.
 * @example bucketize(7, [5, 10, 20]) // 1
 */
export function bucketize(value: number, bounds: readonly number[]): number {
  let i = 0
  while (i < bounds.length && value >= bounds[i]!) i++
  return i
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value
}

/** One characteristic of a scorecard: bins by upper bound, points per bin, a reason code when it costs points. */
export type Characteristic = {
  /** Ascending bin bounds (as in `bucketize`). */
  readonly bounds: readonly number[]
  /** Points per bin: `bounds.length + 1` entries. */
  readonly points: readonly number[]
  /** Reason code reported when this characteristic lowers the score, e.g. `社保断缴`. */
  readonly reason: string
}

export type ScorecardResult = {
  readonly score: number
  /** Reason codes of the characteristics that cost most, worst first. */
  readonly reasons: readonly string[]
}

/**
 * A points-based scorecard as banks use them: base points plus the points of each
 * characteristic's bin, clamped to a range; the characteristics that fell furthest below their
 * best bin become the reason codes.
 *
 * @example
 * ```ts
 * const card = scorecard({ base: 600, min: 300, max: 900, characteristics: {
 *   gapMonths: { bounds: [1, 3], points: [60, -20, -120], reason: '社保断缴' },
 * } })
 * card({ gapMonths: 4 }) // { score: 480, reasons: ['社保断缴'] }
 * ```
 */
export function scorecard<K extends string>(spec: {
  readonly base: number
  readonly min: number
  readonly max: number
  readonly characteristics: Readonly<Record<K, Characteristic>>
  /** How many reason codes to report (default 4). */
  readonly maxReasons?: number
}): (values: Readonly<Record<K, number>>) => ScorecardResult {
  const entries = Object.entries(spec.characteristics) as [K, Characteristic][]
  for (const [, c] of entries) {
    if (c.points.length !== c.bounds.length + 1) throw new RangeError('a characteristic has one more points entry than bounds')
  }
  const best = entries.map(([, c]) => Math.max(...c.points))
  return function score(values) {
    let total = spec.base
    const shortfalls: { reason: string; loss: number }[] = []
    entries.forEach(([key, c], i) => {
      const points = c.points[bucketize(values[key], c.bounds)]!
      total += points
      const loss = best[i]! - points
      if (loss > 0 && points < 0) shortfalls.push({ reason: c.reason, loss })
    })
    shortfalls.sort((a, b) => b.loss - a.loss)
    const reasons: string[] = []
    for (const s of shortfalls) if (!reasons.includes(s.reason)) reasons.push(s.reason)
    return { score: Math.round(clamp(total, spec.min, spec.max)), reasons: reasons.slice(0, spec.maxReasons ?? 4) }
  }
}

/**
 * Letter grade of a score by descending thresholds.
 * @example grade(720, [[750, 'AAA'], [700, 'AA'], [650, 'A']], 'B') // 'AA'
 */
export function grade<G extends string>(score: number, thresholds: readonly (readonly [number, G])[], lowest: G): G {
  for (const [min, g] of thresholds) if (score >= min) return g
  return lowest
}
