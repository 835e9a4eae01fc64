/**
 * Suspending, reinstating or revoking a partner or a consumer, or denying or revoking a scenario:
 * the change is posted with its reason, the page reloaded, and the new standing announced by name
 * (`合肥数智科技有限公司 · 已暂停`).
 */
import { useState } from 'preact/hooks'
import type { Names } from '../../../dictionary/index.ts'
import { api } from '../api.ts'
import { useRefreshDirectory } from '../directory.ts'
import { useName } from '../i18n.ts'
import type { Session } from '../session.ts'

export type StandingAction = 'suspend' | 'reinstate' | 'revoke' | 'deny'
const STATUS_AFTER = { suspend: 'suspended', reinstate: 'active', revoke: 'revoked', deny: 'denied' } as const

export function useStandingChange(session: Session, collection: string, reload: () => void, statuses: Readonly<Record<string, Names>>) {
  const name = useName()
  const refresh = useRefreshDirectory()
  const [done, setDone] = useState<string | undefined>(undefined)
  /** `label`: what the announcement calls the one changed (its name), its id when absent. */
  const change = (id: string, action: StandingAction, label = id) => async (reason: string) => {
    await api(`${collection}/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: { reason }, credential: session.credential })
    setDone(`${label} · ${name(statuses, STATUS_AFTER[action])}`)
    reload()
    refresh()
  }
  return { done, change }
}
