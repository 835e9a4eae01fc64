/**
 * 账户与令牌: operators onboard partners and auditors by issuing their platform tokens (operators
 * themselves are made on the command line only), and manage consumers: add one with a monthly
 * quota (its API key is shown once), suspend or reinstate it. Every action is audited.
 */
import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, Loading, StatusBadge } from '../parts/feedback.tsx'
import { ReasonAction } from '../parts/reason-action.tsx'
import { IssuedAnnouncement, ShownOnce, useIssueOnce } from '../parts/shown-once.tsx'
import { useLoad } from '../parts/use-load.ts'
import { useStandingChange } from '../parts/use-standing-change.ts'
import type { Session } from '../session.ts'

type Consumer = { id: string; name: string; status: 'active' | 'suspended'; monthlyQuota: number | null }

function IssueToken({ session }: { session: Session }) {
  const t = useT()
  const [role, setRole] = useState<'partner' | 'auditor'>('partner')
  const [subject, setSubject] = useState('')
  const [hours, setHours] = useState('12')
  const { issued, error, blocked, issue, dismiss } = useIssueOnce()
  const submit = async (event: Event) => {
    event.preventDefault()
    const holder = subject.trim()
    const done = await issue(async () => {
      const answer = await api<{ token: string }>('/v1/operator/tokens', { method: 'POST', body: { role, subject: holder, ttlSeconds: Math.round(Number(hours) * 3600) }, credential: session.credential })
      return { secret: answer.token, holder: `${t(`role_${role}`)} · ${holder}` }
    })
    if (done) setSubject('')
  }
  return (
    <form class="card" onSubmit={submit} aria-labelledby="issue-token">
      <h2 id="issue-token">{t('issueToken')}</h2>
      <div class="row">
        <label>
          {t('role')}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as 'partner' | 'auditor')}>
            <option value="partner">{t('role_partner')}</option>
            <option value="auditor">{t('role_auditor')}</option>
          </select>
        </label>
        <label>
          {t('holderId')}
          <input required pattern="[a-z0-9][a-z0-9\-]{1,62}" value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
        </label>
        <label>
          {t('validHours')}
          <input type="number" min={1} max={720} required value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={blocked}>
          {t('issueToken')}
        </button>
      </div>
      <p class="muted small">{t('operatorsOnCli')}</p>
      <IssuedAnnouncement issued={issued} />
      {issued === undefined ? null : <ShownOnce issued={issued} onDismiss={dismiss} />}
      <ErrorNote error={error} />
    </form>
  )
}

function AddConsumer({ session, onAdded }: { session: Session; onAdded: () => void }) {
  const t = useT()
  const [id, setId] = useState('')
  const [name, setName] = useState('')
  const [quota, setQuota] = useState('')
  const { issued, error, blocked, issue, dismiss } = useIssueOnce()
  const submit = async (event: Event) => {
    event.preventDefault()
    const body = { id: id.trim(), name: name.trim(), ...(quota === '' ? {} : { monthlyQuota: Number(quota) }) }
    const done = await issue(async () => {
      const answer = await api<{ apiKey: string }>('/v1/operator/consumers', { method: 'POST', body, credential: session.credential })
      return { secret: answer.apiKey, holder: `${t('apiKey')} · ${body.id}` }
    })
    if (!done) return
    setId('')
    setName('')
    setQuota('')
    onAdded()
  }
  return (
    <form class="card" onSubmit={submit} aria-labelledby="add-consumer">
      <h2 id="add-consumer">{t('addConsumer')}</h2>
      <div class="row">
        <label>
          {t('consumerId')}
          <input required pattern="[a-z0-9][a-z0-9\-]{1,62}" value={id} onInput={(e) => setId(e.currentTarget.value)} />
        </label>
        <label>
          {t('partnerName')}
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('monthlyQuota')}
          <input type="number" min={1} value={quota} onInput={(e) => setQuota(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={blocked}>
          {t('addConsumer')}
        </button>
      </div>
      <IssuedAnnouncement issued={issued} />
      {issued === undefined ? null : <ShownOnce issued={issued} onDismiss={dismiss} />}
      <ErrorNote error={error} />
    </form>
  )
}

export function AccountsPage({ session }: { session: Session }) {
  const t = useT()
  const consumers = useLoad(() => api<{ consumers: Consumer[] }>('/v1/operator/consumers', { credential: session.credential }), [session.credential])
  const { done, change } = useStandingChange(session, '/v1/operator/consumers', consumers.reload)
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_accounts')}</h1>
      <IssueToken session={session} />
      <AddConsumer session={session} onAdded={consumers.reload} />
      <h2>{t('consumers_list')}</h2>
      {done === undefined ? null : <Done focus>{done}</Done>}
      <ErrorNote error={consumers.error} />
      {consumers.loading && consumers.data === undefined ? <Loading /> : null}
      {consumers.data === undefined ? null : consumers.data.consumers.length === 0 ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('consumerId')}</th>
              <th scope="col">{t('partnerName')}</th>
              <th scope="col" class="num">{t('monthlyQuota')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {consumers.data.consumers.map((c) => (
              <tr key={c.id} data-testid={`consumer-${c.id}`}>
                <th scope="row">{c.id}</th>
                <td>{c.name}</td>
                <td class="num">{c.monthlyQuota ?? '—'}</td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>
                  {c.status === 'active' ? (
                    <ReasonAction label={t('suspend')} subject={c.id} onConfirm={change(c.id, 'suspend')} />
                  ) : (
                    <ReasonAction label={t('reinstate')} subject={c.id} onConfirm={change(c.id, 'reinstate')} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
