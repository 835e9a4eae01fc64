/**
 * Attack: differencing by input. A consumer runs the same report twice with inputs whose
 * populations differ by a few people (all of a district's elderly but those in one small living
 * arrangement, then all of them): the difference of the two counts is the small group. Through the
 * server: the second release's cell is withheld by the audit across releases (and the reviewers'
 * report says so); positive controls — the second query alone, to another consumer, and a query
 * differing by ten or more, are released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyCountSource, smallBesideLarge, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let district: string
let small: string
let rest: string[]
let others: string[]

const count = async (consumer: string, arrangements: string[]) => {
  const r = await s.run('elderly-count', { district, arrangements }, consumer)
  expect(r.statusCode, r.body).toBe(202)
  const release = await s.server.state.releases.get((r.json() as { releaseId: string }).releaseId)
  return { n: ((await s.server.state.releases.resultOf(release.releaseId)) as { n: number | null }).n, report: release.report as { items: { check: string; status: string }[] } }
}

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-differencing')
  ;({ district, small, large: rest, others } = await smallBesideLarge(s.sample))
  await s.publish(elderlyCountSource('elderly-count'))
}, 120_000)
afterAll(() => s.close())

describe('attack: differencing by input', () => {
  it('the second of two counts that differ by a small group is withheld, and the report says why', async () => {
    const first = await count('bank-a', others)
    expect(first.n).toBeGreaterThanOrEqual(10)
    const second = await count('bank-a', [...others, small])
    expect(second.n).toBeNull()
    expect(second.report.items.find((i) => i.check === 'CROSS_RELEASE_AUDIT')?.status).toBe('applied')
  })

  it('positive control: the same second count alone, to another consumer, is released', async () => {
    const alone = await count('bank-b', [...others, small])
    expect(alone.n).toBeGreaterThanOrEqual(10)
  })

  it('positive control: two counts that differ by ten or more are both released', async () => {
    const a = await count('bank-c', [rest[0]!])
    const b = await count('bank-c', [rest[0]!, rest[1]!])
    expect(a.n).toBeGreaterThanOrEqual(10)
    expect(b.n).toBeGreaterThanOrEqual(a.n! + 10)
  })
})
