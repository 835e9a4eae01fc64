/**
 * Suspending, reinstating and revoking a partner (the seeds' exit process, 退出机制). A suspension
 * suspends the partner's published products and kills its tokens at once; a reinstatement brings
 * the products back (old tokens stay dead: a new token must be issued). A revocation is final:
 * products suspended, tokens dead, its scenarios revoked, its dev data deleted — and every log
 * kept. Each step is recorded in the audit trail.
 */
import type { AuditLog } from '../audit/index.ts'
import { paramsInvalid } from '../errors.ts'
import { auditedChange } from '../governance/index.ts'
import type { State } from '../state/state.ts'
import { STANDING_CHANGES, type Principal, type StandingChange } from '../state/principals.ts'
import type { ProductDevelopment } from './product-development.ts'

export async function changePartnerStanding(
  deps: { readonly state: State; readonly development: ProductDevelopment; readonly audit: AuditLog },
  partner: string,
  action: StandingChange,
  operator: string,
  reason: string,
): Promise<Principal> {
  const { state, audit } = deps
  if (reason.trim() === '') throw paramsInvalid('A change of standing needs a reason', 'reason')
  // the standing, the products, the scenarios and the entry change together (the trail joins the transaction)
  const principal = await auditedChange({ state, trail: audit })(async (append) => {
    // tokens first: from here on the partner can do nothing
    const changed = await state.principals.setStatus('partner', partner, STANDING_CHANGES[action].status)
    await state.registry.setPartnerProductsStatus(partner, action === 'reinstate' ? 'published' : 'suspended')
    const revokedScenarios: string[] = []
    if (action === 'revoke') {
      for (const s of await state.scenarios.list()) {
        if (s.partner !== partner || s.status === 'revoked' || s.status === 'denied') continue
        await state.scenarios.revoke(s.id, operator, `partner revoked: ${reason}`)
        revokedScenarios.push(s.id)
      }
    }
    await append({ actor: operator, action: `partner.${STANDING_CHANGES[action].done}`, subject: partner, detail: { reason, ...(action === 'revoke' ? { scenarios: revokedScenarios, devData: 'deleted' } : {}) } })
    return changed
  })
  // files are not transactional: the dev data goes once the revocation is stored
  if (action === 'revoke') await deps.development.deleteDevData(partner)
  return principal
}
