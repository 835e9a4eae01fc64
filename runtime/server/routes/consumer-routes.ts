/**
 * Consumers (API keys): invoke a published product and get its signed release; fetch a release
 * that waited for review (datasets); see their usage and charges for a month.
 */
import type { FastifyPluginAsync } from 'fastify'
import { RuntimeError } from '../../errors.ts'
import { consumerStatement } from '../statements.ts'
import { ID_PATTERN, monthQuery, VERSION_PATTERN, type RouteDeps } from './route-deps.ts'

const invokeSchema = {
  tags: ['consumer'],
  security: [{ apiKey: [] }],
  params: { type: 'object', properties: { id: { type: 'string', pattern: ID_PATTERN } }, required: ['id'] },
  body: {
    type: 'object',
    properties: { input: { type: 'object' }, consent: { type: 'string', maxLength: 8192 }, version: { type: 'string', pattern: VERSION_PATTERN } },
    required: ['input'],
    additionalProperties: false,
  },
} as const

export const consumerRoutes: FastifyPluginAsync<RouteDeps> = async (scope, deps) => {
  const { callers } = deps
  scope.post<{ Params: { id: string }; Body: { input: Record<string, unknown>; consent?: string; version?: string } }>('/v1/products/:id/invoke', { schema: invokeSchema }, async (request) => {
    const consumer = await callers.consumer(request)
    const result = await deps.products.invoke(consumer, request.params.id, request.body.input, request.body.consent, request.body.version)
    return { releaseId: result.releaseId, release: result.release, result: result.result }
  })

  // a dataset or report: run now, released after two operators' review (GET /v1/releases/:id)
  scope.post<{ Params: { id: string }; Body: { input: Record<string, unknown> } }>(
    '/v1/products/:id/runs',
    {
      schema: {
        tags: ['consumer'],
        security: [{ apiKey: [] }],
        params: invokeSchema.params,
        body: { type: 'object', properties: { input: { type: 'object' } }, required: ['input'], additionalProperties: false },
      },
    },
    async (request, reply) => {
      const consumer = await callers.consumer(request)
      const outcome = await deps.products.run(consumer, request.params.id, request.body.input)
      return reply.status(outcome.status === 'pending' ? 202 : 200).send(outcome)
    },
  )

  // a consumer's calls and charges for a month (each call at the price it was made at)
  scope.get<{ Querystring: { month?: string } }>('/v1/usage', { schema: { tags: ['consumer'], security: [{ apiKey: [] }], querystring: monthQuery } }, async (request) => {
    const consumer = await callers.consumer(request)
    // the bank's own registered name (机构名称), for its screens
    return { ...(await consumerStatement(deps.state.releases, consumer.id, request.query.month)), consumerName: consumer.name }
  })

  // a release addressed to this consumer: pending review, rejected, or released with its token
  scope.get<{ Params: { id: string } }>(
    '/v1/releases/:id',
    { schema: { tags: ['consumer'], security: [{ apiKey: [] }], params: { type: 'object', properties: { id: { type: 'string', pattern: '^rel-[a-z0-9-]{1,60}$' } }, required: ['id'] } } },
    async (request) => {
      const consumer = await callers.consumer(request)
      const record = await deps.state.releases.get(request.params.id).catch(() => undefined)
      // another consumer's release does not exist for this one
      if (record === undefined || record.consumer !== consumer.id) throw new RuntimeError('ERR_NOT_FOUND', 'No such release')
      const token = record.status === 'released' ? await deps.state.releases.tokenOf(record.releaseId) : null
      return { releaseId: record.releaseId, product: record.product, version: record.version, status: record.status, release: token }
    },
  )
}
