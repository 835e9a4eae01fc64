/**
 * The people and organisations that hold platform tokens: partners (who register with their
 * identity and a confidentiality acknowledgement), operators and auditors. A token is only as
 * good as its holder's record: a suspended or revoked holder's tokens stop working at once, on
 * every replica (each request reads the record; nothing is cached in a process), and tokens
 * issued before a suspension stay dead after reinstatement (`tokensValidAfter`).
 * Consumers authenticate with API keys instead (the registry).
 */
import type { Selectable } from 'kysely'
import { RuntimeError } from '../errors.ts'
import { changeStanding, checkPrincipalId, checkRegistration } from './principal-rules.ts'
import type { StateDatabase } from './state-database.ts'
import type { PrincipalsTable } from './state-schema.ts'

export { PRINCIPAL_ID } from './principal-rules.ts'

export const PLATFORM_ROLES = ['partner', 'operator', 'auditor'] as const
export type PlatformRole = (typeof PLATFORM_ROLES)[number]
export type PrincipalStatus = 'active' | 'suspended' | 'revoked'

export type Principal = {
  readonly role: PlatformRole
  readonly id: string
  readonly name: string
  readonly status: PrincipalStatus
  /** Tokens issued (iat, seconds) before this moment are refused. */
  readonly tokensValidAfter: number
  /** Partners only: unified social credit code, contact, and when they acknowledged confidentiality. */
  readonly uscc: string | null
  readonly contact: string | null
  readonly acknowledgedAt: string | null
  readonly createdAt: string
}

/** A change of standing: the status it sets and the word its audit entry uses (`partner.suspended` …). */
export const STANDING_CHANGES = {
  suspend: { status: 'suspended', done: 'suspended' },
  reinstate: { status: 'active', done: 'reinstated' },
  revoke: { status: 'revoked', done: 'revoked' },
} as const satisfies Record<string, { status: PrincipalStatus; done: string }>
export type StandingChange = keyof typeof STANDING_CHANGES

/**
 * The lock a change of a principal's standing holds: whatever must not race a suspension (a
 * partner's publication) takes it too.
 */
export function principalLockKey(role: PlatformRole, id: string): string {
  return `principal:${role}/${id}`
}

export type PartnerRegistration = {
  readonly name: string
  readonly uscc: string
  readonly contact: string
  readonly confidentialityAcknowledged: boolean
}

export type Principals = {
  get(role: PlatformRole, id: string): Promise<Principal | undefined>
  /** A partner completes its registration under the id its token names. */
  registerPartner(id: string, registration: PartnerRegistration): Promise<Principal>
  /** Operators and auditors are recorded when they are first issued a token. */
  ensure(role: Exclude<PlatformRole, 'partner'>, id: string, name: string): Promise<Principal>
  /** Suspend, revoke or reinstate; suspending or revoking also kills every token issued so far. */
  setStatus(role: PlatformRole, id: string, status: PrincipalStatus): Promise<Principal>
  list(role?: PlatformRole): Promise<Principal[]>
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

const principalOf = (r: Selectable<PrincipalsTable>): Principal => ({
  role: r.role as PlatformRole,
  id: r.id,
  name: r.name,
  status: r.status as PrincipalStatus,
  tokensValidAfter: Number(r.tokens_valid_after),
  uscc: r.uscc,
  contact: r.contact,
  acknowledgedAt: isoOrNull(r.acknowledged_at === null ? null : Number(r.acknowledged_at)),
  createdAt: new Date(Number(r.created_at)).toISOString(),
})

export function createPrincipals(state: StateDatabase): Principals {
  const get = async (role: PlatformRole, id: string): Promise<Principal | undefined> => {
    const row = await state.db.selectFrom('principals').selectAll().where('role', '=', role).where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : principalOf(row)
  }
  const insert = async (row: PrincipalsTable): Promise<boolean> => {
    const inserted = await state.db.insertInto('principals').values(row).onConflict((c) => c.columns(['role', 'id']).doNothing()).executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
  }

  return {
    get,
    async registerPartner(id, registration) {
      checkPrincipalId(id, 'partner')
      checkRegistration(registration)
      const now = Date.now()
      const added = await insert({
        role: 'partner',
        id,
        name: registration.name,
        status: 'active',
        tokens_valid_after: 0,
        uscc: registration.uscc,
        contact: registration.contact,
        acknowledged_at: now,
        created_at: now,
      })
      if (!added) throw new RuntimeError('ERR_CONFLICT', 'The partner is registered already', { details: { partner: id } })
      return (await get('partner', id))!
    },
    async ensure(role, id, name) {
      checkPrincipalId(id, 'principal')
      const found = await get(role, id)
      if (found !== undefined) return found
      await insert({ role, id, name, status: 'active', tokens_valid_after: 0, uscc: null, contact: null, acknowledged_at: null, created_at: Date.now() })
      return (await get(role, id))!
    },
    async setStatus(role, id, status) {
      return state.transaction(async (tx) => {
        await state.lock(tx, principalLockKey(role, id))
        const row = await tx.selectFrom('principals').selectAll().where('role', '=', role).where('id', '=', id).executeTakeFirst()
        if (row === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such principal', { details: { role, id } })
        const next = changeStanding(principalOf(row), status, Date.now())
        await tx.updateTable('principals').set({ status: next.status, tokens_valid_after: next.tokensValidAfter }).where('role', '=', role).where('id', '=', id).execute()
        return principalOf({ ...row, status: next.status, tokens_valid_after: next.tokensValidAfter })
      })
    },
    async list(role) {
      let query = state.db.selectFrom('principals').selectAll()
      if (role !== undefined) query = query.where('role', '=', role)
      const rows = await query.orderBy('role').orderBy('id').execute()
      return rows.map(principalOf)
    },
  }
}
