import { defineProduct, t } from 'indomain/sdk'

/**
 * 公交运营情况分析 — bus load by route and by stop, hour by hour, from a week of card swipes: how many
 * boardings, by how many distinct riders. For timetabling and network planning.
 *
 * The unit is the rider's card: `classify` reads one card's own swipes and says in which
 * route-hour and stop-hour cells it boarded, how often. The runtime counts each cell's riders,
 * withholds cells with fewer than ten (and boardings a few riders dominate), and `run` lists the rest.
 */

const HOURS = Array.from({ length: 24 }, (_, h) => String(h))
/** A card's boardings in one route-hour over a week: more is a data error, not a rider. */
const MAX_BOARDINGS = 50
const hourly = (extra: Record<string, ReturnType<typeof t.string>>) =>
  t.array(t.object({ ...extra, hour: t.integer({ minimum: 0, maximum: 23 }), boardings: t.integer({ minimum: 0 }), riders: t.integer({ minimum: 0 }) }), { maxItems: 50_000 })

export default defineProduct({
  id: 'bus-ridership',
  version: '2.0.0',
  kind: 'report',
  title: '公交运营情况分析',
  category: '公共治理',
  description: '按线路、站点和小时统计一周乘车刷卡的上客量与乘客人数，乘客少于10人的单元格不予发布，用于线路排班与线网优化。',
  scenario: {
    purpose: '分析公交线路与站点分时段客流，支撑排班调度与线网优化（公共治理）',
    tables: {
      bus_card_swipe: { key: 'card_no', fields: { route_id: '按线路统计', stop_id: '按站点统计', swiped_at: '按小时统计' } },
    },
  },
  unit: 'bus_card_swipe',
  aggregates: {
    route_hours: { by: { route: { pattern: '^\\d{10}$', maxLength: 10 }, hour: { values: HOURS } }, measures: { boardings: { sum: { min: 0, max: MAX_BOARDINGS } } }, maxCellsPerUnit: 200 },
    stop_hours: { by: { stop: { pattern: '^\\d{13}$', maxLength: 13 }, hour: { values: HOURS } }, measures: { boardings: { sum: { min: 0, max: MAX_BOARDINGS } } }, maxCellsPerUnit: 400 },
  },
  input: t.object({}),
  output: t.object({
    routes: hourly({ route: t.string({ pattern: '^\\d{10}$' }) }),
    stops: hourly({ stop: t.string({ pattern: '^\\d{13}$' }) }),
    suppressedCells: t.integer({ minimum: 0 }),
  }),
  classify(card) {
    const routes = new Map<string, { route: string; hour: string; n: number }>()
    const stops = new Map<string, { stop: string; hour: string; n: number }>()
    for (const s of card.rows('bus_card_swipe')) {
      if (s.swiped_at === null || s.route_id === null || s.stop_id === null) continue
      const hour = String(Number(String(s.swiped_at).slice(11, 13)))
      const r = `${s.route_id}/${hour}`
      routes.set(r, { route: String(s.route_id), hour, n: (routes.get(r)?.n ?? 0) + 1 })
      const p = `${s.stop_id}/${hour}`
      stops.set(p, { stop: String(s.stop_id), hour, n: (stops.get(p)?.n ?? 0) + 1 })
    }
    return {
      aggregates: {
        route_hours: [...routes.values()].map((c) => ({ by: { route: c.route, hour: c.hour }, values: { boardings: c.n } })),
        stop_hours: [...stops.values()].map((c) => ({ by: { stop: c.stop, hour: c.hour }, values: { boardings: c.n } })),
      },
    }
  },
  run(ctx) {
    let suppressedCells = 0
    const read = (name: string, key: 'route' | 'stop') => {
      const { cells, suppressed } = ctx.aggregate(name)
      suppressedCells += suppressed
      const rows: Record<string, string | number>[] = []
      for (const c of cells) {
        if (c.count === 0) continue
        if (c.values.boardings === undefined) {
          suppressedCells++
          continue
        }
        rows.push({ [key]: c.by[key]!, hour: Number(c.by.hour), boardings: c.values.boardings, riders: c.count })
      }
      return rows
    }
    const routes = read('route_hours', 'route') as { route: string; hour: number; boardings: number; riders: number }[]
    const stops = read('stop_hours', 'stop') as { stop: string; hour: number; boardings: number; riders: number }[]
    return { routes, stops, suppressedCells }
  },
})
