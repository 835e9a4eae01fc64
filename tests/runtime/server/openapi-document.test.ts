/**
 * The OpenAPI document (/docs) speaks to a Chinese integrator and an English one: every operation
 * has a summary and a description in both, the error answer with its shape, and, where it takes a
 * body, an example that the live route accepts as it stands (sent without credentials, it passes
 * validation and is stopped only by authentication). A new route without its texts fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPERATION_TEXTS } from '../../../runtime/server/openapi-descriptions.ts'
import { createBareServer, type BareServer } from '../../helpers/bare-server.ts'

type Operation = { summary?: string; description?: string; requestBody?: { content: Record<string, { schema: unknown; examples?: Record<string, { value: unknown }>; example?: unknown }> }; responses?: Record<string, unknown> }
let server: BareServer
let operations: [string, Operation][]
const HAN = /\p{Script=Han}/u
const LATIN = /[A-Za-z]{3}/
const SCHEMA_FAILURE = 'The request does not match the operation\'s schema'

/** The answer to a body sent to an operation without credentials. */
const send = async (key: string, body: unknown) => {
  const [method, path] = key.split(' ') as [string, string]
  const id = path.includes('/scenarios/') ? 'scn-0123456789' : 'enterprise-credit-score'
  const url = path.replace('{role}', 'auditor').replace('{version}', '1.0.0').replace('{id}', id)
  return (await server.app.inject({ method: method as 'POST', url, payload: body as object })).json() as { code: string; message?: string }
}

beforeAll(async () => {
  server = await createBareServer()
  const doc = (await server.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> }
  operations = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]))
})

afterAll(async () => {
  await server.close()
})

describe('the OpenAPI document', () => {
  it('describes every operation, and only operations that exist, in Chinese and English', () => {
    expect(operations.length).toBeGreaterThan(40)
    expect(operations.map(([key]) => key).sort()).toEqual(Object.keys(OPERATION_TEXTS).sort())
    for (const [key, op] of operations) {
      expect(op.summary, key).toMatch(HAN)
      expect(op.summary, key).toMatch(LATIN)
      expect(op.description, key).toMatch(HAN)
      expect(op.description, key).toMatch(LATIN)
    }
  })

  it('shows the error answer of every operation, with its shape and an example', () => {
    for (const [key, op] of operations) {
      const errors = JSON.stringify(op.responses?.['4XX'] ?? null)
      expect(errors, key).toContain('problems')
      expect(errors, key).toContain('ERR_PARAMS_INVALID')
    }
  })

  it('gives every operation with a body an example, and the live route accepts it as it stands', async () => {
    const withBodies = operations.filter(([, op]) => op.requestBody !== undefined)
    expect(withBodies.length).toBeGreaterThan(20)
    for (const [key, op] of withBodies) {
      const media = op.requestBody!.content['application/json']!
      const shown = media.example ?? Object.values(media.examples ?? {})[0]?.value
      expect(shown, key).toEqual(OPERATION_TEXTS[key]!.example)
      const answer = await send(key, shown)
      // validated, then stopped for want of credentials: not a schema failure
      expect(answer.message, `${key}: ${JSON.stringify(answer)}`).not.toBe(SCHEMA_FAILURE)
      expect(answer.code, key).toBe('ERR_AUTH_REQUIRED')
    }
  })

  it('the check catches an example the route would refuse (control)', async () => {
    const answer = await send('POST /v1/operator/scenarios/{id}/decision', { ...OPERATION_TEXTS['POST /v1/operator/scenarios/{id}/decision']!.example, expiresOn: undefined, keys: { enterprise_basic: 'Not A Field' } })
    expect(answer).toMatchObject({ code: 'ERR_PARAMS_INVALID', message: SCHEMA_FAILURE })
  })
})
