/**
 * A platform token's holder as every front door sees it (HTTP routes and the command line): the
 * token verifies, and its holder's record allows it — not suspended, not revoked, and the token
 * issued after the last suspension. Operators and auditors are recorded on first use, so that they
 * can be suspended later; a partner that has not registered yet has no record.
 */
import type { Principal, PlatformRole, Principals } from '../state/principals.ts'
import type { PlatformTokenVerifier } from './platform-tokens.ts'

export type PlatformLoginFailure = 'INVALID_TOKEN' | 'PRINCIPAL_SUSPENDED' | 'PRINCIPAL_REVOKED' | 'TOKEN_REVOKED'

export type PlatformHolder = { readonly kind: 'platform'; readonly role: PlatformRole; readonly id: string; readonly principal: Principal | undefined }

export async function platformHolderOf(
  token: string,
  deps: { readonly verify: PlatformTokenVerifier; readonly principals: Principals },
): Promise<{ readonly holder: PlatformHolder; readonly failure?: undefined } | { readonly holder?: undefined; readonly failure: PlatformLoginFailure }> {
  const claims = await deps.verify(token)
  if (claims === undefined) return { failure: 'INVALID_TOKEN' }
  let principal = await deps.principals.get(claims.role, claims.sub)
  if (principal === undefined && claims.role !== 'partner') principal = await deps.principals.ensure(claims.role, claims.sub, claims.sub)
  if (principal !== undefined) {
    if (principal.status === 'revoked') return { failure: 'PRINCIPAL_REVOKED' }
    if (principal.status === 'suspended') return { failure: 'PRINCIPAL_SUSPENDED' }
    if (claims.iat < principal.tokensValidAfter) return { failure: 'TOKEN_REVOKED' }
  }
  return { holder: { kind: 'platform', role: claims.role, id: claims.sub, principal } }
}
