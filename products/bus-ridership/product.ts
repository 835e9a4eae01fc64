import { defineProduct, t } from 'indomain/sdk'

/**
 * 公交运营情况分析 — bus load by route and by stop, hour by hour, from a week of card swipes: how many
 * boardings, by how many distinct riders. For timetabling and network planning. Only aggregates:
 * a cell with fewer than ten distinct riders is left out (its boardings could single people out).
 */

const MIN_RIDERS = 10
const hourly = (extra: Record<string, ReturnType<typeof t.string>>) =>
  t.array(t.object({ ...extra, hour: t.integer({ minimum: 0, maximum: 23 }), boardings: t.integer({ minimum: MIN_RIDERS }), riders: t.integer({ minimum: MIN_RIDERS }) }), { maxItems: 50_000 })

export default defineProduct({
  id: 'bus-ridership',
  version: '1.0.0',
  kind: 'report',
  title: '公交运营情况分析',
  category: '公共治理',
  description: '按线路、站点和小时统计一周乘车刷卡的上客量与乘客人数，乘客少于10人的单元格不予发布，用于线路排班与线网优化。',
  scenario: {
    purpose: '分析公交线路与站点分时段客流，支撑排班调度与线网优化（公共治理）',
    tables: {
      bus_card_swipe: {
        fields: { card_no: '统计不同乘客数（假名化，不输出）', route_id: '按线路统计', stop_id: '按站点统计', swiped_at: '按小时统计' },
      },
    },
  },
  queries: {
    route_hours: `SELECT route_id, CAST(hour(swiped_at) AS INTEGER) AS hour, count(*) AS boardings, count(DISTINCT card_no) AS riders FROM bus_card_swipe GROUP BY 1, 2 ORDER BY 1, 2`,
    stop_hours: `SELECT stop_id, CAST(hour(swiped_at) AS INTEGER) AS hour, count(*) AS boardings, count(DISTINCT card_no) AS riders FROM bus_card_swipe GROUP BY 1, 2 ORDER BY 1, 2`,
  },
  input: t.object({}),
  output: t.object({
    routes: hourly({ route: t.string({ pattern: '^\\d{10}$' }) }),
    stops: hourly({ stop: t.string({ pattern: '^\\d{13}$' }) }),
    suppressedCells: t.integer({ minimum: 0 }),
  }),
  run(ctx) {
    let suppressedCells = 0
    const read = <K extends string>(query: string, idField: string, as: K) => {
      const rows: ({ [key in K]: string } & { hour: number; boardings: number; riders: number })[] = []
      ctx.scan(query, (chunk) => {
        const id = chunk.text(idField)
        const hour = chunk.number('hour')
        const boardings = chunk.number('boardings')
        const riders = chunk.number('riders')
        for (let i = 0; i < chunk.length; i++) {
          if (riders[i]! < MIN_RIDERS) {
            suppressedCells++
            continue
          }
          rows.push({ [as]: id.value(i) ?? '', hour: hour[i]!, boardings: boardings[i]!, riders: riders[i]! } as { [key in K]: string } & { hour: number; boardings: number; riders: number })
        }
      })
      return rows
    }
    const routes = read('route_hours', 'route_id', 'route')
    const stops = read('stop_hours', 'stop_id', 'stop')
    return { routes, stops, suppressedCells }
  },
})
