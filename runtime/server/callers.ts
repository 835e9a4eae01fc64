/**
 * Who is calling: a consumer (an API key) or a platform principal (a partner's, operator's or
 * auditor's token). Resolved once per request, before the rate limit counts it (so the limit is
 * per caller, and per address for anyone without valid credentials); presented credentials that
 * fail are refused with ERR_AUTH_REQUIRED and recorded in the audit trail as a login failure.
 * Routes then demand a kind of caller; a wrong one is refused with ERR_FORBIDDEN, also recorded.
 */
import type { FastifyRequest } from 'fastify'
import { RuntimeError } from '../errors.ts'
import type { AuditLog } from '../audit/index.ts'
import type { Principal, Principals, PlatformRole } from '../state/principals.ts'
import type { PlatformTokenVerifier } from './platform-tokens.ts'
import { platformHolderOf, type PlatformHolder, type PlatformLoginFailure } from './platform-principal.ts'
import type { Consumer, Registry } from './registry.ts'

export type Caller =
  | { readonly kind: 'consumer'; readonly id: string; readonly consumer: Consumer }
  /** A partner that has not registered yet has no record: it may only register. */
  | PlatformHolder

export type LoginFailure = 'UNKNOWN_API_KEY' | 'CONSUMER_SUSPENDED' | PlatformLoginFailure

type Resolution = { readonly caller?: Caller; readonly failure?: LoginFailure }

declare module 'fastify' {
  interface FastifyRequest {
    resolution?: Promise<Resolution>
  }
}

export type Callers = {
  /** The rate limit's key: the caller, or the address for anyone else. */
  rateKey(request: FastifyRequest): Promise<string>
  /** Refuses (and records) presented credentials that failed; returns the caller, if any. */
  authenticate(request: FastifyRequest): Promise<Caller | undefined>
  consumer(request: FastifyRequest): Promise<Consumer>
  /** A platform principal of one of the roles, registered and active (partners: registered unless `unregistered`). */
  principal(request: FastifyRequest, roles: readonly PlatformRole[], options?: { unregistered?: boolean }): Promise<Extract<Caller, { kind: 'platform' }>>
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined
}

export function createCallers(deps: { readonly registry: Registry; readonly principals: Principals; readonly verify: PlatformTokenVerifier; readonly audit: AuditLog }): Callers {
  const identify = async (request: FastifyRequest): Promise<Resolution> => {
    const presented = bearerOf(request)
    if (presented === undefined) return {}
    if (presented.startsWith('idk_')) {
      const consumer = await deps.registry.authenticate(presented)
      if (consumer === undefined) return { failure: 'UNKNOWN_API_KEY' }
      if (consumer.status !== 'active') return { failure: 'CONSUMER_SUSPENDED' }
      return { caller: { kind: 'consumer', id: consumer.id, consumer } }
    }
    const { holder, failure } = await platformHolderOf(presented, deps)
    return failure === undefined ? { caller: holder } : { failure }
  }

  // resolved once per request: the rate limit and the route both ask
  const resolve = (request: FastifyRequest): Promise<Resolution> => (request.resolution ??= identify(request))

  const denied = async (request: FastifyRequest, caller: Caller, wanted: string): Promise<never> => {
    await deps.audit.append({
      actor: caller.id,
      action: 'authz.denied',
      subject: request.routeOptions.url ?? 'unknown-route',
      detail: { kind: caller.kind, ...(caller.kind === 'platform' ? { role: caller.role } : {}), wanted, method: request.method },
    })
    throw new RuntimeError('ERR_FORBIDDEN', 'These credentials may not do this')
  }

  const authenticate = async (request: FastifyRequest): Promise<Caller | undefined> => {
    const { caller, failure } = await resolve(request)
    if (failure !== undefined) {
      await deps.audit.append({ actor: 'anonymous', action: 'auth.failed', subject: `ip:${request.ip}`, detail: { reason: failure, route: request.routeOptions.url ?? 'unknown-route', method: request.method } })
      throw new RuntimeError('ERR_AUTH_REQUIRED', 'Valid credentials are required')
    }
    return caller
  }

  return {
    async rateKey(request) {
      const { caller } = await resolve(request)
      return caller === undefined ? `ip:${request.ip}` : `${caller.kind === 'consumer' ? 'consumer' : caller.role}:${caller.id}`
    },
    authenticate,
    async consumer(request) {
      const caller = await authenticate(request)
      if (caller === undefined) throw new RuntimeError('ERR_AUTH_REQUIRED', 'A valid API key is required')
      if (caller.kind !== 'consumer') return denied(request, caller, 'consumer')
      return caller.consumer
    },
    async principal(request, roles, options = {}) {
      const caller = await authenticate(request)
      if (caller === undefined) throw new RuntimeError('ERR_AUTH_REQUIRED', 'A valid token is required')
      if (caller.kind !== 'platform' || !roles.includes(caller.role)) return denied(request, caller, roles.join('|'))
      if (caller.principal === undefined && options.unregistered !== true) return denied(request, caller, 'registered partner')
      return caller
    },
  }
}
