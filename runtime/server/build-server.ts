/**
 * The HTTP server: fastify, never listening here (main.ts listens; tests use inject). One error
 * handler answers only a stable code and the request id — fastify's default echoes the error
 * message, and a product's message is an exfiltration channel. Refusals add their reason codes.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { createHash } from 'node:crypto'
import type { JSONWebKeySet } from 'jose'
import { RuntimeError, isRuntimeError } from '../errors.ts'
import type { ProductService } from './product-service.ts'
import type { Consumer, Registry } from './registry.ts'
import type { ReleaseStore } from '../release/release-store.ts'

export type ServerDeps = {
  readonly registry: Registry
  readonly releases: ReleaseStore
  readonly products: ProductService
  readonly jwks: () => JSONWebKeySet
  /** A pino logger configuration, or false (tests). */
  readonly logger?: boolean | object
  /** Calls per consumer (by API key) or per address, per minute. */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number }
}

declare module 'fastify' {
  interface FastifyRequest {
    consumer?: Consumer
  }
}

const invokeSchema = {
  params: { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$' } }, required: ['id'] },
  body: {
    type: 'object',
    properties: { input: { type: 'object' }, consent: { type: 'string', maxLength: 8192 } },
    required: ['input'],
    additionalProperties: false,
  },
} as const

async function authenticate(registry: Registry, request: FastifyRequest): Promise<Consumer> {
  const header = request.headers.authorization
  const key = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined
  const consumer = key === undefined ? undefined : await registry.authenticate(key)
  if (consumer === undefined) throw new RuntimeError('ERR_AUTH_REQUIRED', 'A valid API key is required')
  if (consumer.status !== 'active') throw new RuntimeError('ERR_FORBIDDEN', 'The consumer is suspended')
  return consumer
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 64 * 1024,
    // request ids are ours, never taken from the client
    genReqId: () => `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
  })

  app.setErrorHandler((error, request, reply) => {
    if (isRuntimeError(error)) {
      const reasons = error.code === 'ERR_RELEASE_REFUSED' ? (error.details?.reasons as { code: string }[] | undefined)?.map((r) => r.code) : undefined
      const productCode = error.code === 'ERR_SANDBOX_THREW' ? error.details?.productCode : undefined
      if (error.status >= 500) request.log.error({ code: error.code }, 'request failed')
      void reply.status(error.status).send({ code: error.code, requestId: request.id, ...(reasons === undefined ? {} : { reasons }), ...(productCode === undefined ? {} : { productCode }) })
      return
    }
    const e = error as { validation?: unknown; statusCode?: number; code?: string }
    if (e.validation !== undefined || e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (e.statusCode === 400)) {
      void reply.status(400).send({ code: 'ERR_PARAMS_INVALID', requestId: request.id })
      return
    }
    if (e.statusCode === 413) {
      void reply.status(413).send({ code: 'ERR_PARAMS_INVALID', requestId: request.id })
      return
    }
    request.log.error({ err: error }, 'unexpected failure')
    void reply.status(500).send({ code: 'ERR_INTERNAL', requestId: request.id })
  })
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: 'ERR_NOT_FOUND', requestId: request.id })
  })

  // the OpenAPI document is generated from the routes' JSON schemas; its UI is served from local assets
  void app.register(swagger, {
    openapi: {
      info: { title: 'indomain', version: '0.1.0', description: '原始数据不出域、数据可用不可见 — signed results of data products on public data' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'a consumer API key (idk_…)' } } },
    },
  })
  void app.register(swaggerUi, { routePrefix: '/docs' })

  void app.register(async function routes(scope) {
    // per consumer when a key is presented (its digest, never the key), else per address
    await scope.register(rateLimit, {
      max: deps.rateLimit?.max ?? 600,
      timeWindow: deps.rateLimit?.windowMs ?? 60_000,
      keyGenerator: (request) => {
        const header = request.headers.authorization
        return typeof header === 'string' && header.startsWith('Bearer ') ? createHash('sha256').update(header.slice(7)).digest('hex') : request.ip
      },
      errorResponseBuilder: () => new RuntimeError('ERR_RATE_LIMITED', 'Too many calls'),
    })

    scope.get('/health', async () => ({ status: 'ok' }))
    scope.get('/.well-known/jwks.json', async () => deps.jwks())

    // 产品清单公示: what is published, by whom, from which departments' data, at what price
    scope.get('/v1/products', async () => ({
      products: (await deps.registry.list()).map((p) => ({
        id: p.id,
        version: p.version,
        title: p.title,
        category: p.category,
        sources: p.sources,
        pricePerCall: p.priceFen / 100,
        codeHash: p.codeHash,
      })),
    }))

    const monthSchema = { querystring: { type: 'object', properties: { month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } }, additionalProperties: false } } as const

    // 数据使用情况披露: calls per product per month, public; no consumer is named
    scope.get<{ Querystring: { month?: string } }>('/v1/disclosure', { schema: monthSchema }, async (request) => {
      const rows = await deps.releases.usage(request.query.month === undefined ? {} : { month: request.query.month })
      const byProduct = new Map<string, { product: string; month: string; calls: number; refused: number; consumers: Set<string> }>()
      for (const r of rows) {
        const key = `${r.product}/${r.month}`
        const entry = byProduct.get(key) ?? { product: r.product, month: r.month, calls: 0, refused: 0, consumers: new Set<string>() }
        entry.calls += r.released
        entry.refused += r.refused
        entry.consumers.add(r.consumer)
        byProduct.set(key, entry)
      }
      return { usage: [...byProduct.values()].map((e) => ({ product: e.product, month: e.month, calls: e.calls, refused: e.refused, consumers: e.consumers.size })) }
    })

    // monthly statements: what each consumer owes and each partner earns, by product (operators)
    scope.get<{ Querystring: { month?: string } }>('/v1/statements', { schema: monthSchema }, async (request) => {
      const consumer = await authenticate(deps.registry, request)
      const rows = await deps.releases.usage({ consumer: consumer.id, ...(request.query.month === undefined ? {} : { month: request.query.month }) })
      const products = new Map((await deps.registry.list()).map((p) => [p.id, p]))
      const lines = rows.map((r) => {
        const price = products.get(r.product)?.priceFen ?? 0
        return { month: r.month, product: r.product, partner: products.get(r.product)?.partner ?? null, calls: r.released, unitPrice: price / 100, amount: (price * r.released) / 100 }
      })
      return { consumer: consumer.id, lines, total: lines.reduce((t, l) => t + l.amount, 0) }
    })

    // a consumer's own calls and charges (price per call, from the registry)
    scope.get<{ Querystring: { month?: string } }>('/v1/usage', { schema: monthSchema }, async (request) => {
      const consumer = await authenticate(deps.registry, request)
      const rows = await deps.releases.usage({ consumer: consumer.id, ...(request.query.month === undefined ? {} : { month: request.query.month }) })
      const prices = new Map((await deps.registry.list()).map((p) => [p.id, p.priceFen]))
      return {
        consumer: consumer.id,
        usage: rows.map((r) => ({ product: r.product, month: r.month, calls: r.released, refused: r.refused, fee: ((prices.get(r.product) ?? 0) * r.released) / 100 })),
      }
    })

    scope.post<{ Params: { id: string }; Body: { input: Record<string, unknown>; consent?: string } }>('/v1/products/:id/invoke', { schema: invokeSchema }, async (request) => {
      const consumer = await authenticate(deps.registry, request)
      const result = await deps.products.invoke(consumer, request.params.id, request.body.input, request.body.consent)
      return { releaseId: result.releaseId, release: result.release, result: result.result }
    })

  })

  return app
}

