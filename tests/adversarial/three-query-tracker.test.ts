/**
 * Attack: a three-query tracker (Denning). Within one district, with a small group x (one or a few
 * people in a living arrangement) and two large ones B and C, the counts of B∪x, C and B∪C are
 * each large and harmless, but (B∪x) + C − (B∪C) = x. Through the server: the third release's cell
 * is withheld by the audit across releases; positive control — the first two, and the third alone
 * to another consumer, are released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackServer, elderlyCountSource, smallBesideLarge, type AttackServer } from '../helpers/attack-server.ts'

let s: AttackServer
let district: string
let x: string
let b: string
let c: string

const count = async (consumer: string, arrangements: string[]) => {
  return (await s.released<{ n: number | null }>('elderly-count', { district, arrangements }, consumer)).n
}

beforeAll(async () => {
  s = await createAttackServer(3000, 'attack-tracker')
  const found = await smallBesideLarge(s.sample)
  ;[district, x, b, c] = [found.district, found.small, found.large[0]!, found.large[1]!]
  await s.publish(elderlyCountSource('elderly-count'))
}, 120_000)
afterAll(() => s.close())

describe('attack: a three-query tracker', () => {
  it('the third query, which completes the tracker, is withheld', async () => {
    expect(await count('bank-a', [b, x])).toBeGreaterThanOrEqual(10)
    expect(await count('bank-a', [c])).toBeGreaterThanOrEqual(10)
    expect(await count('bank-a', [b, c])).toBeNull()
  })

  it('positive control: the third query alone, to another consumer, is released', async () => {
    expect(await count('bank-b', [b, c])).toBeGreaterThanOrEqual(20)
  })
})
