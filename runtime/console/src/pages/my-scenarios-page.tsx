/**
 * 我的场景: a partner's scenario requests and what the operators decided, field by field (approved
 * with which mask, denied with which reason), each table's lookup key, and why a whole request was
 * denied or an approval revoked.
 */
import { useState } from 'preact/hooks'
import { SCENARIO_STATUS_NAMES } from '../../../dictionary/index.ts'
import { api } from '../api.ts'
import { loadCatalog } from '../catalog.ts'
import { useName, useT } from '../i18n.ts'
import { Empty, ErrorNote, Loading, StatusBadge } from '../parts/feedback.tsx'
import { ProductName } from '../parts/names.tsx'
import { ScenarioDecisions, ScenarioFacts, ScenarioHistory, type Scenario } from '../parts/scenario-parts.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'
import { StatusFilter } from './scenarios-page.tsx'

/** The reason of the scenario's last denial or revocation, if that is where it stands. */
function standingReason(s: Scenario): string | undefined {
  if (s.status !== 'denied' && s.status !== 'revoked') return undefined
  const last = s.history.findLast((h) => h.action === s.status)
  try {
    const detail = JSON.parse(last?.detail ?? '{}') as { reason?: unknown }
    return typeof detail.reason === 'string' ? detail.reason : undefined
  } catch {
    return undefined
  }
}

export function MyScenariosPage({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const [status, setStatus] = useState('')
  const scenarios = useLoad(() => api<{ scenarios: Scenario[] }>('/v1/partner/scenarios', { credential: session.credential }), [session.credential])
  const catalog = useLoad(loadCatalog, [])
  const shown = (scenarios.data?.scenarios ?? []).filter((s) => status === '' || s.status === status).reverse()
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_myScenarios')}</h1>
      <p class="muted">{t('myScenariosHelp')}</p>
      <StatusFilter value={status} options={['pending', 'approved', 'denied', 'revoked']} names={SCENARIO_STATUS_NAMES} onChange={setStatus} />
      <ErrorNote error={scenarios.error ?? catalog.error} />
      {scenarios.loading ? <Loading /> : null}
      {scenarios.data === undefined ? null : shown.length === 0 ? (
        <Empty />
      ) : (
        shown.map((s) => {
          const reason = standingReason(s)
          return (
            <article key={s.id} class="card" data-testid={`my-scenario-${s.id}`} aria-labelledby={`scenario-${s.id}`}>
              <h2 id={`scenario-${s.id}`}>
                {s.product === null ? t('scenario') : <ProductName id={s.product} />} <code class="small">{s.id}</code> <StatusBadge status={s.status} names={SCENARIO_STATUS_NAMES} />
              </h2>
              {reason === undefined ? null : (
                <p class="note error" data-testid="standing-reason">
                  {name(SCENARIO_STATUS_NAMES, s.status)}：{reason}
                </p>
              )}
              <ScenarioFacts scenario={s} withPartner={false} />
              <ScenarioDecisions scenario={s} catalog={catalog.data} />
              <details>
                <summary>{t('history')}</summary>
                <ScenarioHistory history={s.history} />
              </details>
            </article>
          )
        })
      )}
    </section>
  )
}
