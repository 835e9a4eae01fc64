import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBareServer, type BareServer } from '../../helpers/bare-server.ts'

let server: BareServer
let keyA: string
let keyB: string
beforeAll(async () => {
  server = await createBareServer({ rateLimit: { max: 3, windowMs: 60_000 } })
  keyA = (await server.state.registry.addConsumer('bank-a', 'A')).apiKey
  keyB = (await server.state.registry.addConsumer('bank-b', 'B')).apiKey
})
afterAll(() => server.close())

const call = (key: string) => server.app.inject({ url: '/v1/usage', headers: { authorization: `Bearer ${key}` } })

describe('rate limits', () => {
  it('limit each consumer separately, answering 429 with a code and retry-after', async () => {
    for (let i = 0; i < 3; i++) expect((await call(keyA)).statusCode).toBe(200)
    const limited = await call(keyA)
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({ code: 'ERR_RATE_LIMITED', requestId: expect.any(String), message: 'Too many calls: retry after the retry-after header\'s seconds' })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // another consumer has its own allowance
    expect((await call(keyB)).statusCode).toBe(200)
  })

  it('count junk credentials against the address, so rotating made-up keys does not escape the limit', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await call(`idk_made-up-${i}`)).statusCode)
    // three refusals as unauthenticated, then the address is limited
    expect(statuses).toEqual([401, 401, 401, 429, 429])
  })

  it('limit platform principals per principal', async () => {
    const operator = server.token('operator', 'op-rate')
    const hits: number[] = []
    for (let i = 0; i < 4; i++) hits.push((await server.app.inject({ url: '/v1/operator/partners', headers: { authorization: `Bearer ${operator}` } })).statusCode)
    expect(hits).toEqual([200, 200, 200, 429])
  })
})
