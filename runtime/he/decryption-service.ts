/**
 * The decryption service: its own process, holding the homomorphic secret key that the runtime
 * never has. It decrypts one thing only: a packed grouped-sum ciphertext carrying the release
 * gate's signed approval for exactly that ciphertext, and it returns the totals of the approved
 * groups only. Everything else is refused. Each decision, granted or refused, goes to its own
 * audit trail. One approval is good for one decryption.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type { JSONWebKeySet } from 'jose'
import type { AuditLog } from '../audit/index.ts'
import { isRuntimeError, RuntimeError } from '../errors.ts'
import { cipherHash, verifyDecryptionApproval } from './decryption-approval.ts'
import { decryptGroupTotals } from './decrypt-totals.ts'
import type { SecretKey } from './he-keys.ts'

export type DecryptionServiceDeps = {
  readonly secret: SecretKey
  /** The platform's public keys: approvals must be signed with one of them. */
  readonly jwks: () => JSONWebKeySet
  readonly audit: AuditLog
  /**
   * The custodian's own floor for the dominance check, whatever an approval says: no value may be
   * more than this share of a released total (default 0.5, so every total has at least two
   * contributors, each at most half of it) — the service never decrypts a single person's value.
   */
  readonly maxShare?: number
}

const MAX_CIPHERTEXT = 4 * 2 ** 20

export function buildDecryptionService(deps: DecryptionServiceDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 8 * 2 ** 20, ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } })
  const used = new Set<string>()
  app.setErrorHandler((error, request, reply) => {
    if (isRuntimeError(error)) {
      const reason = error.details?.reason
      void reply.status(error.status).send({ code: error.code, ...(typeof reason === 'string' ? { reason } : {}) })
      return
    }
    const status = (error as { statusCode?: number }).statusCode
    void reply.status(status === 413 ? 413 : status !== undefined && status < 500 ? 400 : 500).send({ code: status !== undefined && status < 500 ? 'ERR_PARAMS_INVALID' : 'ERR_INTERNAL' })
  })
  app.get('/health', async () => ({ status: 'ok' }))
  app.post<{ Body: { approval: string; ciphertext: string; groups: number[] } }>(
    '/v1/decrypt',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            approval: { type: 'string', maxLength: 16_384 },
            ciphertext: { type: 'string', maxLength: Math.ceil((MAX_CIPHERTEXT * 4) / 3) + 4 },
            groups: { type: 'array', items: { type: 'integer', minimum: 0 }, maxItems: 4096 },
          },
          required: ['approval', 'ciphertext', 'groups'],
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const refuse = async (reason: string, detail: Record<string, unknown> = {}): Promise<never> => {
        await deps.audit.append({ actor: 'runtime', action: 'decryption.refused', subject: 'packed-sum', detail: { reason, ...detail } })
        throw new RuntimeError('ERR_DECRYPTION_REFUSED', 'The decryption is refused', { details: { reason } })
      }
      let approval
      try {
        approval = await verifyDecryptionApproval(request.body.approval, deps.jwks())
      } catch (error) {
        return refuse(isRuntimeError(error) ? String(error.details?.reason ?? 'BAD_APPROVAL') : 'BAD_APPROVAL')
      }
      const bytes = Buffer.from(request.body.ciphertext, 'base64')
      if (cipherHash(bytes) !== approval.cipherHash) return refuse('OTHER_CIPHERTEXT', { release: approval.release })
      const outside = request.body.groups.filter((g) => !approval.groups.includes(g))
      if (outside.length > 0) return refuse('GROUP_NOT_APPROVED', { release: approval.release, groups: outside })
      if (used.has(approval.jti)) return refuse('REPLAYED', { release: approval.release })
      used.add(approval.jti)
      const totals = decryptGroupTotals(deps.secret, bytes, approval.window, request.body.groups)
      // dominance: no contributor (at most maxValue) may hold more than `share` of a total; a group
      // that fails is withheld here, its total never leaving this process
      const share = Math.min(approval.dominance.share, deps.maxShare ?? 0.5)
      const maxValue = BigInt(approval.dominance.maxValue)
      if (maxValue <= 0n) return refuse('NO_BOUND', { release: approval.release })
      const scaledShare = BigInt(Math.round(share * 1_000_000))
      const withheld: number[] = []
      for (const [group, total] of totals) {
        if (maxValue * 1_000_000n > total * scaledShare) {
          withheld.push(group)
          totals.delete(group)
        }
      }
      await deps.audit.append({
        actor: 'runtime',
        action: 'decryption.granted',
        subject: approval.release,
        detail: { product: approval.product, consumer: approval.consumer, column: approval.column, groups: [...totals.keys()], withheld, cipherHash: approval.cipherHash },
      })
      return { totals: [...totals].map(([group, total]) => ({ group, total: total.toString() })), withheld }
    },
  )
  return app
}
