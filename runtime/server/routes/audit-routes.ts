/**
 * The audit trail for auditors and operators: entries searchable by actor, action, subject, the
 * party they involve and time, oldest or newest first, and a verification of the whole chain that
 * names the first bad entry.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from './route-deps.ts'

const security = [{ platformToken: [] }]
const entriesQuery = {
  type: 'object',
  properties: {
    actor: { type: 'string', maxLength: 100 },
    action: { type: 'string', maxLength: 100 },
    subject: { type: 'string', maxLength: 200 },
    involving: { type: 'string', maxLength: 200 },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
    after: { type: 'string', pattern: '^\\d{1,12}$' },
    before: { type: 'string', pattern: '^\\d{1,12}$' },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
    limit: { type: 'string', pattern: '^(?:[1-9]\\d{0,2}|1000)$', default: '100' },
  },
  additionalProperties: false,
} as const

type EntriesQuery = {
  actor?: string
  action?: string
  subject?: string
  involving?: string
  since?: string
  until?: string
  after?: string
  before?: string
  order: 'asc' | 'desc'
  limit: string
}

export const auditRoutes: FastifyPluginAsync<RouteDeps> = async (scope, deps) => {
  const { callers, audit } = deps
  scope.get<{ Querystring: EntriesQuery }>(
    '/v1/audit/entries',
    { schema: { tags: ['auditor'], security, querystring: entriesQuery } },
    async (request) => {
      await callers.principal(request, ['auditor', 'operator'])
      const q = request.query
      return audit.read({
        limit: Number(q.limit),
        order: q.order,
        ...(q.actor === undefined ? {} : { actor: q.actor }),
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.subject === undefined ? {} : { subject: q.subject }),
        ...(q.involving === undefined ? {} : { involving: q.involving }),
        ...(q.since === undefined ? {} : { since: q.since }),
        ...(q.until === undefined ? {} : { until: q.until }),
        ...(q.after === undefined ? {} : { afterSeq: Number(q.after) }),
        ...(q.before === undefined ? {} : { beforeSeq: Number(q.before) }),
      })
    },
  )
  // the trail names parties by id: auditors read it with their institutions' names (机构名称)
  scope.get('/v1/audit/parties', { schema: { tags: ['auditor'], security } }, async (request) => {
    await callers.principal(request, ['auditor', 'operator'])
    const partners = (await deps.state.principals.list('partner')).map((p) => ({ id: p.id, name: p.name }))
    const consumers = (await deps.state.registry.consumers()).map((c) => ({ id: c.id, name: c.name }))
    return { partners, consumers }
  })
  scope.get('/v1/audit/verify', { schema: { tags: ['auditor'], security } }, async (request) => {
    await callers.principal(request, ['auditor', 'operator'])
    return audit.verify(deps.keys.verificationJwks())
  })
  // the signed head, public like the JWKS: whoever keeps one can later prove the trail extends it
  scope.get('/v1/audit/head', { schema: { tags: ['public'] } }, async () => {
    const head = await audit.head()
    return head ?? { seq: 0, hash: null, at: null, signature: null }
  })
}
