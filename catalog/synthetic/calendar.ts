/**
 * The synthetic world's clock. Everything is dated relative to a fixed "as of" day so that the
 * same seed gives the same data whatever day it is generated on.
 */
export const AS_OF = '2025-12-31'

const MS_PER_DAY = 86_400_000

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (UTC). */
export function dayNumber(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / MS_PER_DAY
}

export const AS_OF_DAY = dayNumber(AS_OF)

/** `YYYY-MM-DD` of a day number. */
export function dateOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/** `YYYY-MM-DD HH:MM:SS` of a day number and seconds into that day. */
export function timestampOf(day: number, seconds: number): string {
  return new Date(day * MS_PER_DAY + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')
}

/** Twelve months of a year as `YYYYMM` periods. */
export function periodsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}${String(i + 1).padStart(2, '0')}`)
}

/** Social insurance and housing fund: 24 months up to the as-of day. */
export const CONTRIBUTION_PERIODS: readonly string[] = Object.freeze([...periodsOf(2024), ...periodsOf(2025)])

/** Utility readings: the 12 months of the as-of year. */
export const UTILITY_PERIODS: readonly string[] = Object.freeze(periodsOf(2025))

/** Day number of the first day of a `YYYYMM` period. */
export function periodStartDay(period: string): number {
  return Date.UTC(+period.slice(0, 4), +period.slice(4, 6) - 1, 1) / MS_PER_DAY
}

/** Whole years between two day numbers (age on `onDay` of someone born on `birthDay`). */
export function yearsBetween(birthDay: number, onDay: number): number {
  const b = dateOf(birthDay)
  const o = dateOf(onDay)
  let years = +o.slice(0, 4) - +b.slice(0, 4)
  if (o.slice(5) < b.slice(5)) years--
  return years
}
