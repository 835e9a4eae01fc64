/**
 * Days and months are Beijing's: a call at 04:00 on New Year's Day in Beijing (20:00 UTC the day
 * before) is January's call on the ledger, the quota and the statements, and December's figures do
 * not count it; a scenario that expires on a day is usable until that day ends in Beijing. A state
 * written by the earlier runtime, whose ledger days were UTC days, is moved to the city's days when
 * it is opened, on both backends.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { sql } from 'kysely'
import { cityDay, cityDayStart, cityMonth } from '../../runtime/city-calendar.ts'
import type { NewRelease } from '../../runtime/release/release-store.ts'
import { assertUsable } from '../../runtime/scenarios/scenario-rules.ts'
import type { Scenario } from '../../runtime/scenarios/scenario.ts'
import { activityPeriod } from '../../runtime/server/usage-disclosure.ts'
import { openState } from '../../runtime/state/state.ts'
import { stateBackends } from '../helpers/state-backends.ts'
import { newRelease } from '../helpers/release-fixture.ts'

const NEW_YEAR_IN_BEIJING = Date.parse('2026-12-31T20:00:00Z')
const LAST_EVENING_IN_BEIJING = Date.parse('2026-12-31T15:00:00Z')

const release = (releaseId: string) => newRelease({ releaseId, kind: 'api', status: 'refused', reasons: [{ code: 'DIRECT_IDENTIFIER', path: '/a' }] as unknown as NewRelease['reasons'], report: {}, reviewersNeeded: 0, priceFen: 40 })

afterEach(() => {
  vi.useRealTimers()
})

describe('the city\'s calendar', () => {
  it('turns the day and the month at midnight in Beijing, not in London', () => {
    expect(cityDay(Date.parse('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31')
    expect(cityDay(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01')
    expect(cityMonth(NEW_YEAR_IN_BEIJING)).toBe('2027-01')
    expect(cityMonth(LAST_EVENING_IN_BEIJING)).toBe('2026-12')
    expect(cityDayStart('2027-01-01')).toBe(Date.parse('2026-12-31T16:00:00Z'))
    for (const day of ['2026-02-30', '2026-13-01', '2026-1-01', '', '2026-12-31T00:00']) expect(cityDayStart(day), day).toBeUndefined()
  })

  it('a scenario that expires on 31 December is usable that evening in Beijing and not after midnight there', () => {
    const scenario = { id: 'scn-1', status: 'approved', expiresOn: '2026-12-31' } as unknown as Scenario
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(LAST_EVENING_IN_BEIJING)
    expect(() => assertUsable(scenario)).not.toThrow()
    vi.setSystemTime(NEW_YEAR_IN_BEIJING)
    expect(() => assertUsable(scenario)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_EXPIRED' }))
  })

  it('the usage disclosure\'s default period ends on Beijing\'s today', () => {
    expect(activityPeriod({}, NEW_YEAR_IN_BEIJING).until).toBe('2027-01-01')
    expect(activityPeriod({}, LAST_EVENING_IN_BEIJING).until).toBe('2026-12-31')
  })
})

describe.each(stateBackends())('the ledger\'s days and months on $name', (backend) => {
  afterAll(() => backend.cleanup())

  it('a call at 04:00 on New Year\'s Day in Beijing is January\'s; one the evening before is December\'s (control)', async () => {
    const state = await openState(await backend.fresh())
    try {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(LAST_EVENING_IN_BEIJING)
      await state.releases.record(release('rel-december'))
      vi.setSystemTime(NEW_YEAR_IN_BEIJING)
      await state.releases.record(release('rel-january'))
      vi.useRealTimers()
      expect((await state.releases.usage({ month: '2027-01' })).map((u) => [u.month, u.refused])).toEqual([['2027-01', 1]])
      expect((await state.releases.usage({ month: '2026-12' })).map((u) => [u.month, u.refused])).toEqual([['2026-12', 1]])
      const activity = await state.releases.activity('2027-01-01', '2027-01-01')
      expect(JSON.stringify(activity)).toContain('2027-01-01')
    } finally {
      await state.close()
    }
  })

  it('opening a state written with UTC days moves each release and its refusal codes to Beijing\'s day', async () => {
    const location = await backend.fresh()
    let state = await openState(location)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NEW_YEAR_IN_BEIJING)
    await state.releases.record(release('rel-new-year'))
    vi.useRealTimers()
    // as the earlier runtime wrote it: the UTC day, and neither the city-days migration nor any after it yet
    await sql`UPDATE releases SET created_day = '2026-12-31'`.execute(state.database.db)
    await sql`UPDATE release_reason_codes SET created_day = '2026-12-31'`.execute(state.database.db)
    await sql`ALTER TABLE products DROP COLUMN callable_until`.execute(state.database.db)
    await sql`DELETE FROM kysely_migration WHERE name >= '0003-city-days'`.execute(state.database.db)
    expect((await state.releases.usage({ month: '2027-01' }))).toEqual([])
    await state.close()
    state = await openState(location)
    try {
      expect((await state.releases.usage({ month: '2027-01' })).map((u) => [u.month, u.refused])).toEqual([['2027-01', 1]])
      const codes = await sql<{ created_day: string }>`SELECT created_day FROM release_reason_codes`.execute(state.database.db)
      expect(codes.rows.map((r) => r.created_day)).toEqual(['2027-01-01'])
    } finally {
      await state.close()
    }
  })
})
