import { afterAll, describe, expect, it } from 'vitest'
import { buildServer } from '../../../runtime/server/build-server.ts'
import type { Registry } from '../../../runtime/server/registry.ts'
import type { ReleaseStore } from '../../../runtime/release/release-store.ts'

const registry = {
  authenticate: async (key: string) => (key === 'idk_a' || key === 'idk_b' ? { id: key, name: key, status: 'active' as const } : undefined),
  list: async () => [],
} as unknown as Registry
const app = buildServer({
  registry,
  releases: { usage: async () => [] } as unknown as ReleaseStore,
  products: { invoke: async () => ({ releaseId: 'r', release: 't', result: {} }) },
  jwks: () => ({ keys: [] }),
  rateLimit: { max: 3, windowMs: 60_000 },
})
afterAll(() => app.close())

describe('rate limits', () => {
  it('limit each consumer separately, answering 429 with a code and retry-after', async () => {
    const call = (key: string) => app.inject({ url: '/v1/usage', headers: { authorization: `Bearer ${key}` } })
    for (let i = 0; i < 3; i++) expect((await call('idk_a')).statusCode).toBe(200)
    const limited = await call('idk_a')
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({ code: 'ERR_RATE_LIMITED', requestId: expect.any(String) })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // another consumer has its own allowance
    expect((await call('idk_b')).statusCode).toBe(200)
  })
})
