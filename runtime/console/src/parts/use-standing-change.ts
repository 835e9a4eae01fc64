/**
 * Suspending, reinstating or revoking a partner or a consumer, or denying or revoking a scenario:
 * the change is posted with its reason, the page reloaded, and the new standing announced
 * (`partner · 已暂停`).
 */
import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { useT } from '../i18n.ts'
import type { Session } from '../session.ts'

export type StandingAction = 'suspend' | 'reinstate' | 'revoke' | 'deny'
const STATUS_AFTER = { suspend: 'status_suspended', reinstate: 'status_active', revoke: 'status_revoked', deny: 'status_denied' } as const

export function useStandingChange(session: Session, collection: string, reload: () => void) {
  const t = useT()
  const [done, setDone] = useState<string | undefined>(undefined)
  const change = (id: string, action: StandingAction) => async (reason: string) => {
    await api(`${collection}/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: { reason }, credential: session.credential })
    setDone(`${id} · ${t(STATUS_AFTER[action])}`)
    reload()
  }
  return { done, change }
}
