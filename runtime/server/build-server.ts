/**
 * The HTTP server: fastify, never listening here (the commands listen; tests use inject). One
 * error handler answers only a stable code and the request id — fastify's default echoes the
 * error message, and a product's message is an exfiltration channel. Refusals add their reason
 * codes. One plugin per route group; every route has a JSON schema, and the OpenAPI document
 * is generated from them. Callers are resolved before the rate limit counts them.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { RuntimeError, isRuntimeError } from '../errors.ts'
import { describeOperation } from './openapi-descriptions.ts'
import { answerClientError, bodyFieldsOf, clientBody, frontDoorError, jsonDepth, MAX_JSON_DEPTH } from './http-errors.ts'
import type { RouteDeps } from './routes/route-deps.ts'
import { summarizeRequests } from './request-summary.ts'
import { publicRoutes } from './routes/public-routes.ts'
import { consumerRoutes } from './routes/consumer-routes.ts'
import { consumerRunsRoutes } from './routes/consumer-runs-routes.ts'
import { partnerRoutes } from './routes/partner-routes.ts'
import { operatorRoutes } from './routes/operator-routes.ts'
import { auditRoutes } from './routes/audit-routes.ts'
import { consoleRoutes } from './routes/console-routes.ts'

export type ServerDeps = RouteDeps & {
  /** A pino logger configuration, or false (tests). */
  readonly logger?: boolean | object
  /** Calls per caller (consumer or principal) or per address, per window. */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number }
  /** How often the requests' summary is logged at info level (request-summary.ts); a minute by default. */
  readonly requestSummaryMs?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves when no call is in flight, or after the deadline. */
    drained(deadlineMs: number): Promise<void>
  }
}

/**
 * Stops accepting connections, lets the calls in flight finish (up to `deadlineMs`), then closes
 * the connections kept alive, which would otherwise hold the server open.
 */
export async function closeServer(app: FastifyInstance, deadlineMs = 10_000): Promise<void> {
  const closing = app.close()
  await app.drained(deadlineMs)
  app.server.closeAllConnections()
  await closing
}

/**
 * pino's operational log (separate from the audit trail): credentials are redacted, and request
 * bodies (inputs, consent tokens) are never logged; requests are summarized (request-summary.ts).
 */
export function operationalLogger(level: 'info' | 'warn'): object {
  return { level, redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'], censor: '[redacted]' } }
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.logger ?? false,
    // one summary a minute at info level, each request at debug (request-summary.ts)
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // strict bodies: a wrong type is refused, not coerced; an unknown member is refused, not dropped
    // (query strings are text: routes declare their numbers as patterns and parse them)
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // request ids are ours, never taken from the client
    // while closing, new calls are refused by our own hook (a typed code), not fastify's default answer
    return503OnClosing: false,
    genReqId: () => `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    // the HTTP parser's refusals and fastify's own (bad URLs) carry catalogue codes and echo nothing
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => {
      const known = frontDoorError({ statusCode: (error as { statusCode?: number }).statusCode ?? 400 })!
      void (reply as FastifyReply).status(known.status).send(clientBody(known, request.id))
    },
  })

  // JSON bodies: fastify's parser (prototype poisoning refused), then a depth limit, so that no
  // serializer or check downstream recurses as deep as a caller likes
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (error, value) => {
      if (error !== null) return done(error, undefined)
      if (jsonDepth(value) > MAX_JSON_DEPTH) {
        return done(new RuntimeError('ERR_PARAMS_INVALID', 'The body is nested too deeply', { details: { problems: [{ path: 'body:/', problem: `nested deeper than ${MAX_JSON_DEPTH} levels` }] } }), undefined)
      }
      done(null, value)
    })
  })

  // graceful shutdown: calls in flight are counted so that closing can wait for them (see closeServer)
  let inFlight = 0
  let drained: (() => void) | undefined
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async (_request, reply) => {
    if (closing) {
      void reply.header('connection', 'close')
      throw new RuntimeError('ERR_SHUTTING_DOWN', 'The server is shutting down')
    }
    inFlight++
    reply.raw.once('close', () => {
      inFlight--
      if (inFlight === 0) drained?.()
    })
  })
  app.decorate('drained', (deadlineMs: number) =>
    inFlight === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadlineMs)
          drained = () => {
            clearTimeout(timer)
            resolve()
          }
        }),
  )

  summarizeRequests(app, deps.requestSummaryMs === undefined ? {} : { everyMs: deps.requestSummaryMs })

  app.setErrorHandler((error, request, reply) => {
    const failure = isRuntimeError(error) ? error : frontDoorError(error)
    if (failure !== undefined) {
      // warming up and shutting down are states, not failures
      if (failure.status >= 500 && failure.code !== 'ERR_NOT_READY' && failure.code !== 'ERR_SHUTTING_DOWN') request.log.error({ code: failure.code }, 'request failed')
      // what the catalogue lets a client see: codes of a refusal's reasons (never the evidence),
      // problems as paths and rule texts (never values), fixed messages
      void reply.status(failure.status).send(clientBody(failure, request.id, bodyFieldsOf(request.routeOptions.schema)))
      return
    }
    request.log.error({ err: error }, 'unexpected failure')
    void reply.status(500).send(clientBody(new RuntimeError('ERR_INTERNAL', 'The request failed inside the runtime'), request.id))
  })
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(clientBody(new RuntimeError('ERR_NOT_FOUND', 'No such route: see /docs for the API'), request.id))
  })

  void app.register(swagger, {
    // the document's texts in Chinese and English, examples and error answers; validation is untouched
    transform: ({ schema, url, route }) => ({ schema: describeOperation(String(route.method), url, (schema ?? {}) as Record<string, unknown>), url }),
    openapi: {
      info: { title: 'indomain', version: '0.1.0', description: '原始数据不出域、数据可用不可见 — signed results of data products on public data' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'a consumer API key (idk_…)' },
          platformToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a platform token for a partner, operator or auditor (`indomain token issue`)' },
        },
      },
      tags: [
        { name: 'public', description: '产品清单公示, 数据使用情况披露, keys' },
        { name: 'consumer', description: 'calling products (API key)' },
        { name: 'partner', description: 'building and publishing products' },
        { name: 'operator', description: 'scenario decisions, product reviews, release reviews, prices, partners' },
        { name: 'auditor', description: 'the audit trail' },
      ],
    },
  })
  void app.register(swaggerUi, { routePrefix: '/docs' })
  void app.register(consoleRoutes)

  void app.register(async function routes(scope) {
    await scope.register(rateLimit, {
      max: deps.rateLimit?.max ?? 600,
      timeWindow: deps.rateLimit?.windowMs ?? 60_000,
      keyGenerator: (request) => deps.callers.rateKey(request),
      errorResponseBuilder: () => new RuntimeError('ERR_RATE_LIMITED', 'Too many calls'),
    })
    // presented credentials that fail are refused (and audited) on every route, public ones too
    scope.addHook('preValidation', async (request) => {
      await deps.callers.authenticate(request)
    })
    await scope.register(publicRoutes, deps)
    await scope.register(consumerRoutes, deps)
    await scope.register(consumerRunsRoutes, deps)
    await scope.register(partnerRoutes, deps)
    await scope.register(operatorRoutes, deps)
    await scope.register(auditRoutes, deps)
  })

  return app
}

