/**
 * The rules of principals' standing, pure: what a registration must carry, which changes of
 * standing are allowed, and from when a holder's tokens are dead.
 */
import { isValidUscc } from '../../catalog/identifiers/uscc.ts'
import { paramsInvalid, RuntimeError } from '../errors.ts'
import type { PartnerRegistration, Principal, PrincipalStatus } from './principals.ts'

export const PRINCIPAL_ID = /^[a-z0-9][a-z0-9-]{1,62}$/

export function checkPrincipalId(id: string, what: 'partner' | 'principal'): void {
  if (typeof id !== 'string' || !PRINCIPAL_ID.test(id)) {
    throw paramsInvalid(`A ${what} id is lower case letters, digits and dashes`, 'id')
  }
}

export function checkRegistration(registration: PartnerRegistration): void {
  if (registration.confidentialityAcknowledged !== true) {
    throw paramsInvalid('A partner must acknowledge the confidentiality obligations to register', 'confidentialityAcknowledged')
  }
  if (!isValidUscc(registration.uscc)) {
    throw paramsInvalid('The unified social credit code is not valid (GB 32100)', 'uscc')
  }
}

/**
 * The standing after a change, and the moment before which its tokens are refused: a suspension
 * or revocation kills every token issued so far (iat is in whole seconds); reinstating keeps them
 * dead. A revoked principal stays revoked.
 */
export function changeStanding(found: Principal, status: PrincipalStatus, nowMs: number): { readonly status: PrincipalStatus; readonly tokensValidAfter: number } {
  if (found.status === 'revoked') throw new RuntimeError('ERR_CONFLICT', 'A revoked principal stays revoked', { details: { role: found.role, id: found.id } })
  return { status, tokensValidAfter: status === 'active' ? found.tokensValidAfter : Math.floor(nowMs / 1000) + 1 }
}
