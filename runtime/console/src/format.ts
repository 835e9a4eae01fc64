/**
 * Times, days and money as the city reads them: instants in Beijing time (Asia/Shanghai, named
 * wherever a time is shown), days counted in Beijing, amounts in 元 with two decimals (the API
 * keeps prices in 分 and statements in 元).
 */
import { CITY_TIME_ZONE, cityDay, cityMonth } from '../../city-calendar.ts'

/** The city's day and month, as the server counts them (runtime/city-calendar.ts). */
export { cityDay, cityMonth }

export const BEIJING = CITY_TIME_ZONE

const FIELDS = new Intl.DateTimeFormat('en-CA', { timeZone: BEIJING, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })

/** An ISO instant, or a DuckDB `YYYY-MM-DD HH:MM:SS` in UTC, as a Date; undefined when it is not one. */
export function instantOf(at: string): Date | undefined {
  const iso = at.includes('T') ? at : `${at.replace(' ', 'T')}Z`
  const d = new Date(iso.endsWith('Z') || /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`)
  return Number.isNaN(d.getTime()) ? undefined : d
}

function beijingParts(d: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const out = { year: '', month: '', day: '', hour: '', minute: '', second: '' }
  for (const p of FIELDS.formatToParts(d)) if (p.type in out) out[p.type as keyof typeof out] = p.value
  return out
}

/** `2026-01-05 14:03:22` in Beijing time (the caller names the zone: a column header, a label). */
export function beijingTime(at: string | null | undefined): string {
  if (at == null) return '—'
  const d = instantOf(at)
  if (d === undefined) return at
  const p = beijingParts(d)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

/** A `datetime-local` value read as Beijing time, as an ISO instant. */
export function instantFromBeijing(local: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return undefined
  const d = new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/** 分 as 元: `40` → `0.40`. */
export const yuanOfFen = (fen: number): string => (fen / 100).toFixed(2)
/** 元 with two decimals: `1.2` → `1.20`. */
export const yuan = (amount: number): string => amount.toFixed(2)

/** 元 typed by a person (`0.5`, `１.２０`, `2 元`) as 分, or undefined when it is not an amount. */
export function fenOfYuan(text: string): number | undefined {
  const normalized = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[．。]/g, '.').replace(/\s|元|¥|￥/g, '')
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return undefined
  const [whole, part = ''] = normalized.split('.')
  return Number(whole) * 100 + Number(part.padEnd(2, '0'))
}
