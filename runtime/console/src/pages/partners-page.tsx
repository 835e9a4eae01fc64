/**
 * 合作方管理 (退出机制): the registered partners and their standing. Suspending one suspends its
 * products and kills its tokens; reinstating brings the products back (old tokens stay dead);
 * revoking is final. Each change needs a reason and lands in the audit trail.
 */
import { STANDING_NAMES } from '../../../dictionary/index.ts'
import { api } from '../api.ts'
import { useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, Loading, StatusBadge, When } from '../parts/feedback.tsx'
import { ReasonAction } from '../parts/reason-action.tsx'
import { useLoad } from '../parts/use-load.ts'
import { useStandingChange } from '../parts/use-standing-change.ts'
import type { Session } from '../session.ts'

type Partner = { id: string; name: string; status: 'active' | 'suspended' | 'revoked'; uscc: string | null; contact: string | null; createdAt: string }

export function PartnersPage({ session }: { session: Session }) {
  const t = useT()
  const partners = useLoad(() => api<{ partners: Partner[] }>('/v1/operator/partners', { credential: session.credential }), [session.credential])
  const { done, change } = useStandingChange(session, '/v1/operator/partners', partners.reload, STANDING_NAMES)
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_partners')}</h1>
      <ErrorNote error={partners.error} />
      {done === undefined ? null : <Done focus>{done}</Done>}
      {partners.loading && partners.data === undefined ? <Loading /> : null}
      {partners.data === undefined ? null : partners.data.partners.length === 0 ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('partnerName')}</th>
              <th scope="col">{t('partnerId')}</th>
              <th scope="col">{t('uscc')}</th>
              <th scope="col">{t('registeredAtBeijing')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {partners.data.partners.map((p) => (
              <tr key={p.id} data-testid={`partner-${p.id}`}>
                <th scope="row">{p.name}</th>
                <td>
                  <code>{p.id}</code>
                </td>
                <td>
                  <code>{p.uscc ?? '—'}</code>
                </td>
                <td>
                  <When at={p.createdAt} />
                </td>
                <td>
                  <StatusBadge status={p.status} names={STANDING_NAMES} />
                </td>
                <td class="stack">
                  {p.status === 'active' ? <ReasonAction label={t('suspend')} subject={p.id} onConfirm={change(p.id, 'suspend', p.name)} /> : null}
                  {p.status === 'suspended' ? <ReasonAction label={t('reinstate')} subject={p.id} onConfirm={change(p.id, 'reinstate', p.name)} /> : null}
                  {p.status === 'revoked' ? null : <ReasonAction label={t('revoke')} subject={p.id} danger warning={t('revokeWarning')} onConfirm={change(p.id, 'revoke', p.name)} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
