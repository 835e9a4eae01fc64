/**
 * Calendar helpers for writers of hundreds of thousands of records, where building a date
 * string (calendar.ts's dateOf) for every value would cost more than the record itself.
 */
import { dateOf } from './calendar.ts'

/** The calendar year of a day number (days since 1970-01-01), by Howard Hinnant's civil-from-days arithmetic. */
export function yearOf(day: number): number {
  const z = day + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365)
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  // the era's years begin in March: January and February belong to the next calendar year
  const month = Math.floor((5 * dayOfYear + 2) / 153)
  return yearOfEra + era * 400 + (month >= 10 ? 1 : 0)
}

/** dateOf with a memory: a table's rows share a few thousand days, each written out once. */
export function createDateCache(): (day: number) => string {
  const dates = new Map<number, string>()
  return function dateOfCached(day) {
    let text = dates.get(day)
    if (text === undefined) dates.set(day, (text = dateOf(day)))
    return text
  }
}
