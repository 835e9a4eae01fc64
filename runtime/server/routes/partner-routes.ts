/**
 * Partners (platform tokens, role partner): register with identity and a confidentiality
 * acknowledgement; request scenarios; upload, dev-run, submit and publish product versions; see
 * their products, usage and earnings. A partner sees only its own scenarios and products.
 */
import { createGovernance } from '../../governance/index.ts'
import type { AuditAction } from '../../audit/index.ts'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { SCENARIO_CATEGORIES } from '../../scenarios/scenario.ts'
import type { ScenarioCategory } from '../../scenarios/scenario.ts'
import { MAX_SOURCE_BYTES, type SourceFiles } from '../product-development.ts'
import { withoutSources } from '../../state/product-versions.ts'
import { partnerStatement } from '../statements.ts'
import { ID_PATTERN, monthQuery, versionParams, type RouteDeps } from './route-deps.ts'

const security = [{ platformToken: [] }]
type VersionParams = { Params: { id: string; version: string } }

export const partnerRoutes: FastifyPluginAsync<RouteDeps> = async (scope, deps) => {
  const { state, audit, callers, development } = deps
  const governance = createGovernance({ state, keys: deps.keys, catalog: deps.catalog, trail: audit })
  const partnerOf = async (request: FastifyRequest): Promise<string> => (await callers.principal(request, ['partner'])).id

  scope.post<{ Body: { name: string; uscc: string; contact: string; confidentialityAcknowledged: boolean } }>(
    '/v1/partner/register',
    {
      schema: {
        tags: ['partner'],
        security,
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 2, maxLength: 200 },
            uscc: { type: 'string', minLength: 18, maxLength: 18 },
            contact: { type: 'string', minLength: 3, maxLength: 200 },
            confidentialityAcknowledged: { type: 'boolean' },
          },
          required: ['name', 'uscc', 'contact', 'confidentialityAcknowledged'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const caller = await callers.principal(request, ['partner'], { unregistered: true })
      const partner = await governance.registerPartner(caller.id, request.body)
      return reply.status(201).send(partner)
    },
  )

  scope.get('/v1/partner', { schema: { tags: ['partner'], security } }, async (request) => (await callers.principal(request, ['partner'])).principal)

  scope.post<{ Body: { product: string; purpose: string; category: ScenarioCategory; tables: Record<string, { key?: string; fields: Record<string, string> }> } }>(
    '/v1/partner/scenarios',
    {
      schema: {
        tags: ['partner'],
        security,
        body: {
          type: 'object',
          properties: {
            product: { type: 'string', pattern: ID_PATTERN },
            purpose: { type: 'string', minLength: 4, maxLength: 1000 },
            category: { type: 'string', enum: [...SCENARIO_CATEGORIES] },
            tables: {
              type: 'object',
              maxProperties: 30,
              additionalProperties: {
                type: 'object',
                properties: {
                  key: { type: 'string', maxLength: 64 },
                  fields: { type: 'object', minProperties: 1, maxProperties: 200, additionalProperties: { type: 'string', minLength: 1, maxLength: 500 } },
                },
                required: ['fields'],
                additionalProperties: false,
              },
            },
          },
          required: ['product', 'purpose', 'category', 'tables'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const partner = await partnerOf(request)
      const scenario = await governance.requestScenario(partner, { partner, ...request.body })
      return reply.status(201).send(scenario)
    },
  )

  scope.get('/v1/partner/scenarios', { schema: { tags: ['partner'], security } }, async (request) => {
    const partner = await partnerOf(request)
    return { scenarios: (await state.scenarios.list()).filter((s) => s.partner === partner) }
  })

  scope.put<VersionParams & { Body: { files: SourceFiles } }>(
    '/v1/partner/products/:id/versions/:version',
    {
      bodyLimit: MAX_SOURCE_BYTES * 2,
      schema: {
        tags: ['partner'],
        security,
        params: versionParams,
        body: {
          type: 'object',
          properties: { files: { type: 'object', minProperties: 1, maxProperties: 64, additionalProperties: { type: 'string' } } },
          required: ['files'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const partner = await partnerOf(request)
      const { id, version } = request.params
      const uploaded = await development.upload(partner, id, version, request.body.files)
      await audit.append({ actor: partner, action: 'product.uploaded', subject: `${id}@${version}`, detail: { codeHash: uploaded.codeHash, files: Object.keys(request.body.files).length } })
      return reply.status(201).send(withoutSources(uploaded))
    },
  )

  // the steps of a version after its upload: each is the partner's own, and each is audited
  const versionStep = <B>(
    step: string,
    /** The entry the route writes after the step; none where the step writes its own with its change. */
    action: AuditAction | undefined,
    body: object,
    work: (partner: string, id: string, version: string, body: B) => Promise<{ readonly answer: unknown; readonly detail: Record<string, unknown> }>,
  ) =>
    scope.post<VersionParams & { Body: B }>(`/v1/partner/products/:id/versions/:version/${step}`, { schema: { tags: ['partner'], security, params: versionParams, body } }, async (request) => {
      const partner = await partnerOf(request)
      const { id, version } = request.params
      const { answer, detail } = await work(partner, id, version, request.body as B)
      if (action !== undefined) await audit.append({ actor: partner, action, subject: `${id}@${version}`, detail })
      return answer
    })

  versionStep<{ input?: Record<string, unknown>; pick?: number } | undefined>(
    'dev-run',
    'product.dev_run',
    { type: 'object', properties: { input: { type: 'object' }, pick: { type: 'integer', minimum: 1, maximum: 1000 } }, additionalProperties: false },
    async (partner, id, version, body) => {
      const report = await development.devRun(partner, id, version, body ?? {})
      return { answer: report, detail: { ok: report.ok, ...(report.error === undefined ? {} : { code: report.error.code }) } }
    },
  )
  versionStep<{ scenario: string }>(
    'submit',
    'product.submitted',
    { type: 'object', properties: { scenario: { type: 'string', pattern: '^scn-[a-z0-9-]{1,60}$' } }, required: ['scenario'], additionalProperties: false },
    async (partner, id, version, body) => {
      const submitted = await development.submit(partner, id, version, body.scenario)
      return { answer: withoutSources(submitted), detail: { codeHash: submitted.codeHash, scenario: submitted.scenario } }
    },
  )
  // publishing stores the product and its entry in one transaction (product-development.ts)
  versionStep<{ pricePerCallFen: number }>(
    'publish',
    undefined,
    { type: 'object', properties: { pricePerCallFen: { type: 'integer', minimum: 0, maximum: 10_000_000 } }, required: ['pricePerCallFen'], additionalProperties: false },
    async (partner, id, version, body) => ({ answer: withoutSources(await development.publish(partner, id, version, body.pricePerCallFen)), detail: {} }),
  )

  scope.get('/v1/partner/products', { schema: { tags: ['partner'], security } }, async (request) => {
    const partner = await partnerOf(request)
    return { versions: (await state.versions.list({ partner })).map(withoutSources), published: (await state.registry.versions({ partner })).map(withoutSources) }
  })

  scope.get<{ Querystring: { month?: string } }>('/v1/partner/earnings', { schema: { tags: ['partner'], security, querystring: monthQuery } }, async (request) => {
    const partner = await partnerOf(request)
    return partnerStatement(state.releases, partner, request.query.month)
  })
}
