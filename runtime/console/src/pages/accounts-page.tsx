/**
 * 账户与令牌: operators onboard partners and auditors by issuing their platform tokens (operators
 * themselves are made on the command line only), and manage consumers: add one with a monthly
 * quota (its API key is shown once), suspend or reinstate it. Every action is audited.
 */
import { useState } from 'preact/hooks'
import { ROLE_NAMES, STANDING_NAMES } from '../../../dictionary/index.ts'
import { api } from '../api.ts'
import { useRefreshDirectory } from '../directory.ts'
import { useName, useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, FormProblems, Loading, StatusBadge } from '../parts/feedback.tsx'
import { ReasonAction } from '../parts/reason-action.tsx'
import { IssuedAnnouncement, ShownOnce, useIssueOnce } from '../parts/shown-once.tsx'
import { useLoad } from '../parts/use-load.ts'
import { useStandingChange } from '../parts/use-standing-change.ts'
import type { Session } from '../session.ts'

type Consumer = { id: string; name: string; status: 'active' | 'suspended'; monthlyQuota: number | null }

/** Ids of holders and consumers, as the server takes them (route-deps.ts ID_PATTERN). */
const ID = /^[a-z0-9][a-z0-9-]{1,62}$/
const WHOLE = /^\d+$/

function IssueToken({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const [role, setRole] = useState<'partner' | 'auditor'>('partner')
  const [subject, setSubject] = useState('')
  const [hours, setHours] = useState('12')
  const [problems, setProblems] = useState<FormProblems | undefined>(undefined)
  const { issued, error, blocked, issue, dismiss } = useIssueOnce()
  const submit = async (event: Event) => {
    event.preventDefault()
    const holder = subject.trim()
    const problems = [
      ...(holder === '' ? [{ field: t('holderId'), problem: t('isRequired') }] : ID.test(holder) ? [] : [{ field: t('holderId'), problem: t('idFormat') }]),
      ...(WHOLE.test(hours.trim()) && Number(hours) >= 1 && Number(hours) <= 720 ? [] : [{ field: t('validHours'), problem: t('hoursRange') }]),
    ]
    if (problems.length > 0) {
      setProblems(new FormProblems(problems))
      return
    }
    setProblems(undefined)
    const done = await issue(async () => {
      const answer = await api<{ token: string }>('/v1/operator/tokens', { method: 'POST', body: { role, subject: holder, ttlSeconds: Math.round(Number(hours) * 3600) }, credential: session.credential })
      return { secret: answer.token, holder: `${name(ROLE_NAMES, role)} · ${holder}` }
    })
    if (done) setSubject('')
  }
  return (
    <form class="card" onSubmit={submit} aria-labelledby="issue-token" noValidate>
      <h2 id="issue-token">{t('issueToken')}</h2>
      <div class="row">
        <label>
          {t('role')}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as 'partner' | 'auditor')}>
            <option value="partner">{name(ROLE_NAMES, 'partner')}</option>
            <option value="auditor">{name(ROLE_NAMES, 'auditor')}</option>
          </select>
        </label>
        <label>
          {t('holderId')}
          <input aria-required="true" value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
        </label>
        <label>
          {t('validHours')}
          <input inputMode="numeric" aria-required="true" value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={blocked}>
          {t('issueToken')}
        </button>
      </div>
      <p class="muted small">
        {t('operatorsOnCli')} <code>npx indomain token issue</code>
      </p>
      <IssuedAnnouncement issued={issued} />
      {issued === undefined ? null : <ShownOnce issued={issued} onDismiss={dismiss} />}
      <ErrorNote error={problems ?? error} />
    </form>
  )
}

function AddConsumer({ session, onAdded }: { session: Session; onAdded: () => void }) {
  const t = useT()
  const [id, setId] = useState('')
  const [name, setName] = useState('')
  const [quota, setQuota] = useState('')
  const [problems, setProblems] = useState<FormProblems | undefined>(undefined)
  const refresh = useRefreshDirectory()
  const { issued, error, blocked, issue, dismiss } = useIssueOnce()
  const submit = async (event: Event) => {
    event.preventDefault()
    if (blocked) return
    const body = { id: id.trim(), name: name.trim(), ...(quota.trim() === '' ? {} : { monthlyQuota: Number(quota) }) }
    const found = [
      ...(body.id === '' ? [{ field: t('consumerId'), problem: t('isRequired') }] : ID.test(body.id) ? [] : [{ field: t('consumerId'), problem: t('idFormat') }]),
      ...(body.name === '' ? [{ field: t('consumerName'), problem: t('isRequired') }] : body.name.length > 200 ? [{ field: t('consumerName'), problem: t('tooLong').replace('{n}', '200') }] : []),
      ...(quota.trim() === '' || (WHOLE.test(quota.trim()) && Number(quota) >= 1) ? [] : [{ field: t('monthlyQuota'), problem: t('positiveWhole') }]),
    ]
    if (found.length > 0) {
      setProblems(new FormProblems(found))
      return
    }
    setProblems(undefined)
    const done = await issue(async () => {
      const answer = await api<{ apiKey: string }>('/v1/operator/consumers', { method: 'POST', body, credential: session.credential })
      return { secret: answer.apiKey, holder: `${t('apiKey')} · ${body.name}` }
    })
    if (!done) return
    refresh()
    setId('')
    setName('')
    setQuota('')
    onAdded()
  }
  return (
    <form class="card" onSubmit={submit} aria-labelledby="add-consumer" noValidate>
      <h2 id="add-consumer">{t('addConsumer')}</h2>
      <div class="row">
        <label>
          {t('consumerId')}
          <input aria-required="true" value={id} onInput={(e) => setId(e.currentTarget.value)} />
        </label>
        <label>
          {t('consumerName')}
          <input aria-required="true" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('monthlyQuota')}
          <input inputMode="numeric" value={quota} onInput={(e) => setQuota(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={blocked}>
          {t('addConsumer')}
        </button>
      </div>
      <IssuedAnnouncement issued={issued} />
      {issued === undefined ? null : <ShownOnce issued={issued} onDismiss={dismiss} />}
      <ErrorNote error={problems ?? error} />
    </form>
  )
}

export function AccountsPage({ session }: { session: Session }) {
  const t = useT()
  const consumers = useLoad(() => api<{ consumers: Consumer[] }>('/v1/operator/consumers', { credential: session.credential }), [session.credential])
  const { done, change } = useStandingChange(session, '/v1/operator/consumers', consumers.reload, STANDING_NAMES)
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
              <th scope="col">{t('consumerName')}</th>
              <th scope="col">{t('consumerId')}</th>
              <th scope="col" class="num">{t('monthlyQuota')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {consumers.data.consumers.map((c) => (
              <tr key={c.id} data-testid={`consumer-${c.id}`}>
                <th scope="row">{c.name}</th>
                <td>
                  <code>{c.id}</code>
                </td>
                <td class="num">{c.monthlyQuota ?? t('noQuota')}</td>
                <td>
                  <StatusBadge status={c.status} names={STANDING_NAMES} />
                </td>
                <td>
                  {c.status === 'active' ? (
                    <ReasonAction label={t('suspend')} subject={c.id} onConfirm={change(c.id, 'suspend', c.name)} />
                  ) : (
                    <ReasonAction label={t('reinstate')} subject={c.id} onConfirm={change(c.id, 'reinstate', c.name)} />
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
