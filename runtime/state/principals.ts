/**
 * The people and organisations that hold platform tokens: partners (who register with their
 * identity and a confidentiality acknowledgement), operators and auditors. A token is only as
 * good as its holder's record: a suspended or revoked holder's tokens stop working at once, and
 * tokens issued before a suspension stay dead after reinstatement (`tokensValidAfter`).
 * Consumers authenticate with API keys instead (the registry).
 */
import type { DuckDBConnection } from '@duckdb/node-api'
import { isValidUscc } from '../../catalog/identifiers/uscc.ts'
import { RuntimeError } from '../errors.ts'

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

export const PRINCIPAL_ID = /^[a-z0-9][a-z0-9-]{1,62}$/

const SCHEMA = `CREATE TABLE IF NOT EXISTS principals (
  role VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR NOT NULL, status VARCHAR NOT NULL, tokens_valid_after BIGINT NOT NULL,
  uscc VARCHAR, contact VARCHAR, acknowledged_at TIMESTAMP, created_at TIMESTAMP NOT NULL, PRIMARY KEY (role, id))`
const COLUMNS = 'role, id, name, status, tokens_valid_after, uscc, contact, CAST(acknowledged_at AS VARCHAR), CAST(created_at AS VARCHAR)'

const principalOf = (r: unknown[]): Principal => ({
  role: r[0] as PlatformRole,
  id: String(r[1]),
  name: String(r[2]),
  status: r[3] as PrincipalStatus,
  tokensValidAfter: Number(r[4]),
  uscc: r[5] === null ? null : String(r[5]),
  contact: r[6] === null ? null : String(r[6]),
  acknowledgedAt: r[7] === null ? null : String(r[7]),
  createdAt: String(r[8]),
})

export async function createPrincipals(c: DuckDBConnection): Promise<Principals> {
  await c.run(SCHEMA)
  // every request checks its token's holder: cached, and every change made here updates the cache
  const cache = new Map<string, Principal | undefined>()
  const load = async (role: PlatformRole, id: string): Promise<Principal | undefined> => {
    const key = `${role}/${id}`
    if (cache.has(key)) return cache.get(key)
    const row = (await c.runAndReadAll(`SELECT ${COLUMNS} FROM principals WHERE role = $1 AND id = $2`, [role, id])).getRowsJS()[0]
    const found = row === undefined ? undefined : principalOf(row)
    cache.set(key, found)
    return found
  }
  const reload = (role: PlatformRole, id: string) => {
    cache.delete(`${role}/${id}`)
    return load(role, id)
  }

  return {
    get: load,
    async registerPartner(id, registration) {
      if (!PRINCIPAL_ID.test(id)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A partner id is lower case letters, digits and dashes')
      if (registration.confidentialityAcknowledged !== true) {
        throw new RuntimeError('ERR_PARAMS_INVALID', 'A partner must acknowledge the confidentiality obligations to register')
      }
      if (!isValidUscc(registration.uscc)) throw new RuntimeError('ERR_PARAMS_INVALID', 'The unified social credit code is not valid (GB 32100)')
      if ((await load('partner', id)) !== undefined) throw new RuntimeError('ERR_CONFLICT', 'The partner is registered already', { details: { partner: id } })
      await c.run(`INSERT INTO principals VALUES ('partner', $1, $2, 'active', 0, $3, $4, now()::TIMESTAMP, now()::TIMESTAMP)`, [
        id,
        registration.name,
        registration.uscc,
        registration.contact,
      ])
      return (await reload('partner', id))!
    },
    async ensure(role, id, name) {
      if (!PRINCIPAL_ID.test(id)) throw new RuntimeError('ERR_PARAMS_INVALID', 'A principal id is lower case letters, digits and dashes')
      const found = await load(role, id)
      if (found !== undefined) return found
      await c.run(`INSERT INTO principals VALUES ($1, $2, $3, 'active', 0, NULL, NULL, NULL, now()::TIMESTAMP)`, [role, id, name])
      return (await reload(role, id))!
    },
    async setStatus(role, id, status) {
      const found = await load(role, id)
      if (found === undefined) throw new RuntimeError('ERR_NOT_FOUND', 'No such principal', { details: { role, id } })
      if (found.status === 'revoked') throw new RuntimeError('ERR_CONFLICT', 'A revoked principal stays revoked', { details: { role, id } })
      // a suspension or revocation kills the tokens issued so far, now (iat is in whole seconds)
      const validAfter = status === 'active' ? found.tokensValidAfter : Math.floor(Date.now() / 1000) + 1
      await c.run(`UPDATE principals SET status = $3, tokens_valid_after = $4 WHERE role = $1 AND id = $2`, [role, id, status, validAfter])
      return (await reload(role, id))!
    },
    async list(role) {
      const rows = (
        await c.runAndReadAll(
          role === undefined ? `SELECT ${COLUMNS} FROM principals ORDER BY role, id` : `SELECT ${COLUMNS} FROM principals WHERE role = $1 ORDER BY id`,
          role === undefined ? [] : [role],
        )
      ).getRowsJS()
      return rows.map(principalOf)
    },
  }
}
