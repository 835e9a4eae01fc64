/**
 * Operators (platform tokens, role operator): decide scenarios field by field (一场景一审核),
 * review product versions from their review files (产品审查), work the release review queue
 * (出域审核, two operators), set and list price caps, onboard consumers, issue tokens, suspend or
 * revoke partners (退出机制), and read the month's statements. Every decision is recorded in the
 * audit trail with its operator.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { createGovernance } from '../../governance/index.ts'
import type { ReleaseStatus } from '../../release/release-store.ts'
import type { ScenarioDecisionInput, ScenarioStatus } from '../../scenarios/scenario.ts'
import { PLATFORM_ROLES, type PlatformRole, type StandingChange } from '../../state/principals.ts'
import { withoutSources, type VersionStatus } from '../../state/product-versions.ts'
import { changePartnerStanding } from '../partner-exit.ts'
import { MAX_TOKEN_SECONDS } from '../platform-tokens.ts'
import { overriddenChecks, type VersionDecision } from '../version-approval.ts'
import { monthlyStatements } from '../statements.ts'
import { ID_PATTERN, monthQuery, noQuery, reasonBody, versionParams, type RouteDeps } from './route-deps.ts'

const security = [{ platformToken: [] }]
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,80}$' } }, required: ['id'] } as const
const decisionBody = {
  type: 'object',
  properties: {
    approve: { type: 'object', maxProperties: 500 },
    deny: { type: 'object', maxProperties: 500, additionalProperties: { type: 'string', minLength: 1, maxLength: 1000 } },
    approveRest: { type: 'boolean' },
    rowFilters: { type: 'object', maxProperties: 30 },
    keys: { type: 'object', maxProperties: 30, propertyNames: { pattern: '^[a-z][a-z0-9_]{0,62}$' }, additionalProperties: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } },
    release: {
      type: 'object',
      properties: {
        outputFields: { type: 'array', maxItems: 200, items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}\\.[a-z][a-z0-9_]{0,62}$' } },
        rowLevel: {
          anyOf: [
            { type: 'null' },
            {
              type: 'object',
              properties: { consumers: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', maxLength: 64 } }, identifiers: { type: 'boolean' } },
              required: ['consumers', 'identifiers'],
              additionalProperties: false,
            },
          ],
        },
        privacy: {
          anyOf: [
            { type: 'null' },
            {
              type: 'object',
              properties: { epsilon: { type: 'number' }, budget: { type: 'number' }, periodDays: { type: 'integer' } },
              required: ['epsilon', 'budget', 'periodDays'],
              additionalProperties: false,
            },
          ],
        },
      },
      additionalProperties: false,
    },
    expiresOn: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    revision: { type: 'integer', minimum: 0 },
  },
  required: ['expiresOn'],
  additionalProperties: false,
} as const
const reviewBody = {
  type: 'object',
  properties: { decision: { type: 'string', enum: ['approve', 'reject'] }, reason: { type: 'string', minLength: 1, maxLength: 2000 }, override: { type: 'boolean' } },
  required: ['decision'],
  additionalProperties: false,
} as const

export const operatorRoutes: FastifyPluginAsync<RouteDeps> = async (scope, deps) => {
  const { state, audit, callers, catalog } = deps
  const governance = createGovernance({ state, keys: deps.keys, catalog, trail: audit })
  const operatorOf = async (request: FastifyRequest): Promise<string> => (await callers.principal(request, ['operator'])).id

  // scenarios
  scope.get<{ Querystring: { status?: ScenarioStatus } }>(
    '/v1/operator/scenarios',
    { schema: { tags: ['operator'], security, querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'approved', 'denied', 'revoked'] } }, additionalProperties: false } } },
    async (request) => {
      await operatorOf(request)
      const all = await state.scenarios.list()
      return { scenarios: request.query.status === undefined ? all : all.filter((s) => s.status === request.query.status) }
    },
  )
  scope.get<{ Params: { id: string } }>('/v1/operator/scenarios/:id', { schema: { tags: ['operator'], security, params: idParams, querystring: noQuery } }, async (request) => {
    await operatorOf(request)
    return state.scenarios.get(request.params.id)
  })
  scope.post<{ Params: { id: string }; Body: Omit<ScenarioDecisionInput, 'operator'> }>(
    '/v1/operator/scenarios/:id/decision',
    { schema: { tags: ['operator'], security, params: idParams, body: decisionBody } },
    async (request) => {
      const operator = await operatorOf(request)
      return governance.decideScenario(request.params.id, { ...request.body, operator })
    },
  )
  for (const action of ['deny', 'revoke'] as const) {
    scope.post<{ Params: { id: string }; Body: { reason: string } }>(`/v1/operator/scenarios/:id/${action}`, { schema: { tags: ['operator'], security, params: idParams, body: reasonBody } }, async (request) => {
      const operator = await operatorOf(request)
      return action === 'deny' ? governance.denyScenario(request.params.id, operator, request.body.reason) : governance.revokeScenario(request.params.id, operator, request.body.reason)
    })
  }

  // product versions (产品审查)
  scope.get<{ Querystring: { status?: VersionStatus } }>(
    '/v1/operator/versions',
    { schema: { tags: ['operator'], security, querystring: { type: 'object', properties: { status: { type: 'string', enum: ['uploaded', 'submitted', 'approved', 'rejected'] } }, additionalProperties: false } } },
    async (request) => {
      await operatorOf(request)
      return { versions: (await state.versions.list(request.query.status === undefined ? {} : { status: request.query.status })).map(withoutSources) }
    },
  )
  // the review file: manifest, scenario and checks computed now
  scope.get<{ Params: { id: string; version: string } }>(
    '/v1/operator/products/:id/versions/:version',
    { schema: { tags: ['operator'], security, params: versionParams, querystring: noQuery } },
    async (request) => {
      await operatorOf(request)
      return deps.development.inspect(request.params.id, request.params.version)
    },
  )
  // a version whose checks fail is approved only with an override and its reason (version-approval.ts)
  scope.post<{ Params: { id: string; version: string }; Body: VersionDecision }>(
    '/v1/operator/products/:id/versions/:version/review',
    {
      schema: { tags: ['operator'], security, params: versionParams, body: reviewBody },
    },
    async (request) => {
      const operator = await operatorOf(request)
      const { id, version } = request.params
      const overridden = request.body.decision === 'approve' ? overriddenChecks((await deps.development.inspect(id, version)).checks, request.body) : []
      return withoutSources(await governance.reviewVersion(id, version, operator, request.body.decision, request.body.reason, overridden))
    },
  )

  // the release review queue (two operators; never the product's partner)
  scope.get<{ Querystring: { status?: ReleaseStatus } }>(
    '/v1/operator/releases',
    { schema: { tags: ['operator'], security, querystring: { type: 'object', properties: { status: { type: 'string', enum: ['released', 'refused', 'pending', 'rejected'] } }, additionalProperties: false } } },
    async (request) => {
      await operatorOf(request)
      return { releases: await state.releases.list({ status: request.query.status ?? 'pending' }) }
    },
  )
  scope.get<{ Params: { id: string } }>('/v1/operator/releases/:id', { schema: { tags: ['operator'], security, params: idParams } }, async (request) => {
    await operatorOf(request)
    const record = await state.releases.get(request.params.id)
    // reviewers see the queued output in domain, with the automatic report
    return { ...record, output: record.status === 'pending' ? ((await state.releases.resultOf(record.releaseId)) ?? null) : null }
  })
  scope.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; reason?: string } }>(
    '/v1/operator/releases/:id/review',
    { schema: { tags: ['operator'], security, params: idParams, body: reviewBody } },
    async (request) => {
      const operator = await operatorOf(request)
      const outcome = await governance.reviewRelease(request.params.id, operator, request.body.decision, request.body.reason)
      return { release: outcome.record, signed: outcome.token !== undefined }
    },
  )

  // prices, consumers, tokens
  scope.get('/v1/operator/price-caps', { schema: { tags: ['operator'], security, querystring: noQuery } }, async (request) => {
    await operatorOf(request)
    return { caps: await state.registry.priceCaps() }
  })
  scope.put<{ Params: { id: string }; Body: { capFen: number } }>(
    '/v1/operator/price-caps/:id',
    { schema: { tags: ['operator'], security, params: idParams, body: { type: 'object', properties: { capFen: { type: 'integer', minimum: 0, maximum: 10_000_000 } }, required: ['capFen'], additionalProperties: false } } },
    async (request) => {
      const operator = await operatorOf(request)
      await governance.capPrice(operator, request.params.id, request.body.capFen)
      return { product: request.params.id, capFen: request.body.capFen }
    },
  )
  // a retired version stays callable, for consumers that name it, through a day the operator chooses
  scope.put<{ Params: { id: string; version: string }; Body: { until: string | null } }>(
    '/v1/operator/products/:id/versions/:version/callable-until',
    { schema: { tags: ['operator'], security, params: versionParams, body: { type: 'object', properties: { until: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }] } }, required: ['until'], additionalProperties: false } } },
    async (request) => {
      const operator = await operatorOf(request)
      return withoutSources(await governance.keepCallable(operator, request.params.id, request.params.version, request.body.until))
    },
  )
  // a product held after repeated failures comes back only by an operator's decision, with a reason
  scope.post<{ Params: { id: string }; Body: { reason: string } }>('/v1/operator/products/:id/reinstate', { schema: { tags: ['operator'], security, params: idParams, body: reasonBody } }, async (request) => {
    const operator = await operatorOf(request)
    await governance.reinstateProduct(operator, request.params.id, request.body.reason)
    return { product: request.params.id, status: 'published' }
  })
  scope.get('/v1/operator/consumers', { schema: { tags: ['operator'], security, querystring: noQuery } }, async (request) => {
    await operatorOf(request)
    return { consumers: await state.registry.consumers() }
  })
  scope.post<{ Body: { id: string; name: string; monthlyQuota?: number } }>(
    '/v1/operator/consumers',
    {
      schema: {
        tags: ['operator'],
        security,
        body: {
          type: 'object',
          properties: { id: { type: 'string', pattern: ID_PATTERN }, name: { type: 'string', minLength: 1, maxLength: 200 }, monthlyQuota: { type: 'integer', minimum: 1 } },
          required: ['id', 'name'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const operator = await operatorOf(request)
      const { consumer, apiKey } = await governance.addConsumer(operator, request.body.id, request.body.name, request.body.monthlyQuota ?? null)
      // shown once; only its digest is kept
      return reply.status(201).send({ consumer, apiKey })
    },
  )
  scope.post<{ Body: { role: PlatformRole; subject: string; ttlSeconds?: number } }>(
    '/v1/operator/tokens',
    {
      schema: {
        tags: ['operator'],
        security,
        body: {
          type: 'object',
          // operators are made on the command line only: an operator who could mint operators could be both reviewers of a release
          properties: { role: { type: 'string', enum: PLATFORM_ROLES.filter((r) => r !== 'operator') }, subject: { type: 'string', pattern: ID_PATTERN }, ttlSeconds: { type: 'integer', minimum: 60, maximum: MAX_TOKEN_SECONDS } },
          required: ['role', 'subject'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const operator = await operatorOf(request)
      const { role, subject } = request.body
      const ttlSeconds = request.body.ttlSeconds ?? 12 * 3600
      const token = await governance.issueToken(operator, role, subject, ttlSeconds)
      return reply.status(201).send({ role, subject, token, expiresIn: ttlSeconds })
    },
  )

  // partners and their standing (退出机制)
  scope.get('/v1/operator/partners', { schema: { tags: ['operator'], security } }, async (request) => {
    await operatorOf(request)
    return { partners: await state.principals.list('partner') }
  })
  for (const action of ['suspend', 'reinstate', 'revoke'] as const satisfies readonly StandingChange[]) {
    scope.post<{ Params: { id: string }; Body: { reason: string } }>(`/v1/operator/partners/:id/${action}`, { schema: { tags: ['operator'], security, params: idParams, body: reasonBody } }, async (request) => {
      const operator = await operatorOf(request)
      return changePartnerStanding(deps, request.params.id, action, operator, request.body.reason)
    })
  }

  // operators, auditors and consumers lose their credentials at once too (a token is checked against its holder on every call)
  for (const action of ['suspend', 'reinstate', 'revoke'] as const) {
    scope.post<{ Params: { role: 'operator' | 'auditor'; id: string }; Body: { reason: string } }>(
      `/v1/operator/principals/:role/:id/${action}`,
      {
        schema: {
          tags: ['operator'],
          security,
          params: { type: 'object', properties: { role: { type: 'string', enum: ['operator', 'auditor'] }, id: { type: 'string', pattern: ID_PATTERN } }, required: ['role', 'id'] },
          body: reasonBody,
        },
      },
      async (request) => {
        const operator = await operatorOf(request)
        return governance.setPrincipalStanding(operator, request.params.role, request.params.id, action, request.body.reason)
      },
    )
  }
  for (const action of ['suspend', 'reinstate'] as const) {
    scope.post<{ Params: { id: string }; Body: { reason: string } }>(`/v1/operator/consumers/:id/${action}`, { schema: { tags: ['operator'], security, params: idParams, body: reasonBody } }, async (request) => {
      const operator = await operatorOf(request)
      return governance.setConsumerStanding(operator, request.params.id, action, request.body.reason)
    })
  }

  scope.get<{ Querystring: { month?: string } }>('/v1/operator/statements', { schema: { tags: ['operator'], security, querystring: monthQuery } }, async (request) => {
    await operatorOf(request)
    return monthlyStatements(state.releases, request.query.month)
  })
}
