/**
 * Public routes: health, the JWKS releases verify with, the catalog's metadata (公共数据资源目录,
 * no data), the product list (产品清单公示: category, source departments, price) and the usage
 * disclosure per product (数据使用情况披露) by month and by day, which names no consumer.
 */
import { RuntimeError } from '../../errors.ts'
import type { FastifyPluginAsync } from 'fastify'
import { disclosureActivity, monthlyDisclosure } from '../usage-disclosure.ts'
import { publicCatalog } from '../public-catalog.ts'
import { monthQuery, noQuery, type RouteDeps } from './route-deps.ts'

const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$'
const activityQuery = {
  type: 'object',
  properties: { since: { type: 'string', pattern: DAY_PATTERN }, until: { type: 'string', pattern: DAY_PATTERN } },
  additionalProperties: false,
} as const

export const publicRoutes: FastifyPluginAsync<RouteDeps> = async (scope, deps) => {
  const { registry, releases } = deps.state
  scope.get('/health', { schema: { tags: ['public'] } }, async () => ({ status: 'ok' }))
  scope.get('/.well-known/jwks.json', { schema: { tags: ['public'] } }, async () => deps.keys.jwks())
  // readiness for a load balancer: 200 once the published products are loaded and their indexes built
  scope.get('/v1/ready', { schema: { tags: ['public'] } }, async () => {
    if (deps.readiness?.() !== true) throw new RuntimeError('ERR_NOT_READY', 'The server is warming up: products are being loaded and indexes built')
    return { ready: true }
  })

  scope.get('/v1/catalog', { schema: { tags: ['public'], querystring: noQuery } }, async () => publicCatalog(deps.catalog))

  // 产品清单公示 names each product's provider by its registered name (机构名称)
  scope.get('/v1/products', { schema: { tags: ['public'] } }, async () => {
    const names = new Map((await deps.state.principals.list('partner')).map((p) => [p.id, p.name]))
    const products = (await registry.list()).map((p) => ({
      id: p.id,
      version: p.version,
      title: p.title,
      category: p.category,
      partner: p.partner,
      partnerName: names.get(p.partner) ?? null,
      sources: p.sources,
      pricePerCall: p.priceFen / 100,
      codeHash: p.codeHash,
    }))
    return { products }
  })

  /** The titles of the products a disclosure names, a suspended or retired one's too (it is off the public list). */
  const titlesOf = async (ids: Iterable<string>): Promise<Record<string, string>> => {
    const wanted = new Set(ids)
    const titles: Record<string, string> = {}
    // versions are listed newest first within a product: the first title of a product is its newest
    for (const p of await registry.versions()) if (wanted.has(p.id) && !Object.hasOwn(titles, p.id)) titles[p.id] = p.title
    return titles
  }

  scope.get<{ Querystring: { month?: string } }>('/v1/disclosure', { schema: { tags: ['public'], querystring: monthQuery } }, async (request) => {
    const disclosure = await monthlyDisclosure(releases, request.query.month)
    return { ...disclosure, productTitles: await titlesOf(disclosure.usage.map((u) => u.product)) }
  })

  scope.get<{ Querystring: { since?: string; until?: string } }>('/v1/disclosure/activity', { schema: { tags: ['public'], querystring: activityQuery } }, async (request) => {
    const activity = await disclosureActivity(releases, request.query)
    return { ...activity, productTitles: await titlesOf([...activity.daily, ...activity.monthlyFees].map((c) => c.product)) }
  })
}
