/**
 * A consumer's own runs (datasets and reports asked for with POST /v1/products/:id/runs): what it
 * waits for and what was decided, so that a bank sees its pending runs without keeping their ids,
 * and fetches a reviewed one (GET /v1/releases/:id). Another consumer's runs never appear; the
 * one-entity API calls are its usage (GET /v1/usage), not runs.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { ReleaseRecord, ReleaseStatus } from '../../release/release-store.ts'
import type { RouteDeps } from './route-deps.ts'

/** Newest first, at most this many: a list to work from, not an export of the ledger. */
const MAX_RUNS = 500

export type ConsumerRun = {
  readonly releaseId: string
  readonly product: string
  /** The product's title as published (the version's, or the product's newest if that version is gone). */
  readonly productTitle: string | null
  readonly version: string
  readonly kind: string
  readonly status: ReleaseStatus
  readonly createdAt: string
  /** When it was signed, rejected or refused; null while it waits for review. */
  readonly decidedAt: string | null
}

function decidedAt(r: ReleaseRecord): string | null {
  if (r.status === 'pending') return null
  // a reviewed run was decided by its last review; a refused or at once signed one when it was made
  return r.decisions.at(-1)?.at ?? r.createdAt
}

export const consumerRunsRoutes: FastifyPluginAsync<RouteDeps> = async (scope, deps) => {
  scope.get<{ Querystring: { status?: ReleaseStatus } }>(
    '/v1/runs',
    {
      schema: {
        tags: ['consumer'],
        security: [{ apiKey: [] }],
        querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'released', 'rejected', 'refused'] } }, additionalProperties: false },
      },
    },
    async (request) => {
      const consumer = await deps.callers.consumer(request)
      const records = await deps.state.releases.list({ consumer: consumer.id, kinds: ['dataset', 'report'], newest: MAX_RUNS, ...(request.query.status === undefined ? {} : { status: request.query.status }) })
      const published = await deps.state.registry.versions()
      // versions are listed newest first within a product: the first of a product is its newest
      const titleOf = (product: string, version: string) => (published.find((p) => p.id === product && p.version === version) ?? published.find((p) => p.id === product))?.title ?? null
      const runs: ConsumerRun[] = records.map((r) => ({ releaseId: r.releaseId, product: r.product, productTitle: titleOf(r.product, r.version), version: r.version, kind: r.kind, status: r.status, createdAt: r.createdAt, decidedAt: decidedAt(r) }))
      return { consumer: consumer.id, runs }
    },
  )
}
