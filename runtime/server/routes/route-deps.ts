/** What every route group is given: the state, the services, the keys, the audit trail, the callers. */
import type { Catalog } from '../../../catalog/load-catalog.ts'
import type { AuditTrail } from '../../audit/index.ts'
import type { KeyStore } from '../../release/key-store.ts'
import type { State } from '../../state/state.ts'
import type { Callers } from '../callers.ts'
import type { ProductDevelopment } from '../product-development.ts'
import type { ProductService } from '../product-service.ts'

export type RouteDeps = {
  readonly state: State
  readonly catalog: Catalog
  readonly products: ProductService
  /** Whether the server is warm (GET /v1/ready); ready when absent. */
  readonly readiness?: () => boolean
  readonly development: ProductDevelopment
  readonly keys: KeyStore
  readonly audit: AuditTrail
  readonly callers: Callers
}

/** Shared JSON-schema pieces. */
export const ID_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}$'
export const VERSION_PATTERN = '^\\d+\\.\\d+\\.\\d+$'
/** A product version: `/…/products/:id/versions/:version`. */
export const versionParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: ID_PATTERN }, version: { type: 'string', pattern: VERSION_PATTERN } },
  required: ['id', 'version'],
  additionalProperties: false,
} as const
/** A route that takes no query parameters refuses any. */
export const noQuery = { type: 'object', properties: {}, additionalProperties: false } as const
export const monthQuery = {
  type: 'object',
  properties: { month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } },
  additionalProperties: false,
} as const
export const reasonBody = {
  type: 'object',
  properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } },
  required: ['reason'],
  additionalProperties: false,
} as const
