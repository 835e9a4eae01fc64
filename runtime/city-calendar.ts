/**
 * The city's calendar: days and months as Beijing counts them (北京时间, Asia/Shanghai, UTC+8
 * without daylight saving since 1991). A call at 07:00 on the first of a month in Beijing is that
 * month's call — on its quota, its statement and the usage disclosure — and a scenario that
 * expires on a day is usable until that day ends in Beijing. Instants stay milliseconds since the
 * epoch (UTC) wherever they are stored; only days and months are the city's.
 */
export const CITY_TIME_ZONE = 'Asia/Shanghai'

const OFFSET_MS = 8 * 3_600_000

/** The city's day (`YYYY-MM-DD`) at an instant, now by default. */
export function cityDay(at: number = Date.now()): string {
  return new Date(at + OFFSET_MS).toISOString().slice(0, 10)
}

/** The city's month (`YYYY-MM`) at an instant, now by default. */
export function cityMonth(at: number = Date.now()): string {
  return cityDay(at).slice(0, 7)
}

/** The instant a city day (`YYYY-MM-DD`) begins; undefined for a day the calendar does not have. */
export function cityDayStart(day: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const at = Date.parse(`${day}T00:00:00+08:00`)
  return Number.isNaN(at) || cityDay(at) !== day ? undefined : at
}

/** The SQL expression of the city day of a column of epoch milliseconds, per backend. */
export function cityDaySql(kind: 'sqlite' | 'postgres', column: string): string {
  return kind === 'sqlite'
    ? `strftime('%Y-%m-%d', (${column} + ${OFFSET_MS}) / 1000, 'unixepoch')`
    : `to_char(to_timestamp((${column} + ${OFFSET_MS}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
}
