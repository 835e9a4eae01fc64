/**
 * 出域审核: datasets and reports wait here until two operators (never the product's partner)
 * approve them. A reviewer sees the automatic report and the queued output in domain, and
 * approves or rejects with a reason; the second approval signs the release.
 */
import { Fragment } from 'preact'
import { useState } from 'preact/hooks'
import { api, query } from '../api.ts'
import { useT } from '../i18n.ts'
import { Empty, ErrorNote, Loading, StatusBadge, when } from '../parts/feedback.tsx'
import { JsonView } from '../parts/json-view.tsx'
import { ReviewActions, type Review } from '../parts/review-actions.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'
import { StatusFilter } from './scenarios-page.tsx'

type Decision = { operator: string; decision: string; reason: string | null; at: string }
type Release = {
  releaseId: string
  consumer: string
  product: string
  version: string
  partner: string
  kind: string
  status: 'released' | 'refused' | 'pending' | 'rejected'
  createdAt: string
  reasons: { code: string; [k: string]: unknown }[]
  report: Record<string, unknown>
  reviewersNeeded: number
  decisions: Decision[]
  output?: unknown
}

const approvalsOf = (r: Release) => r.decisions.filter((d) => d.decision === 'approve').length

export function ReleasesPage({ session }: { session: Session }) {
  const t = useT()
  const [status, setStatus] = useState('pending')
  const list = useLoad(() => api<{ releases: Release[] }>(`/v1/operator/releases${query({ status })}`, { credential: session.credential }), [status, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('releaseQueue')}</h1>
      <StatusFilter value={status} options={['pending', 'released', 'rejected', 'refused']} onChange={setStatus} />
      <ErrorNote error={list.error} />
      {list.loading ? <Loading /> : null}
      {list.data === undefined ? null : list.data.releases.length === 0 ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">ID</th>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('consumer')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('createdAt')}</th>
              <th scope="col">{t('approvals')}</th>
              <th scope="col">{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.releases.map((r) => (
              <tr key={r.releaseId}>
                <th scope="row">
                  <a href={`#/releases/${encodeURIComponent(r.releaseId)}`}>{r.releaseId}</a>
                </th>
                <td>
                  {r.product}@{r.version}
                </td>
                <td>{r.consumer}</td>
                <td>{r.kind}</td>
                <td>{when(r.createdAt)}</td>
                <td>
                  {approvalsOf(r)} / {r.reviewersNeeded}
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function ReportView({ report }: { report: Record<string, unknown> }) {
  return (
    <dl class="facts" data-testid="release-report">
      {Object.entries(report).map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === 'object' && v !== null ? <code class="small">{JSON.stringify(v)}</code> : String(v)}</dd>
        </Fragment>
      ))}
    </dl>
  )
}

export function ReleasePage({ session, id }: { session: Session; id: string }) {
  const t = useT()
  const path = `/v1/operator/releases/${encodeURIComponent(id)}`
  const release = useLoad(() => api<Release>(path, { credential: session.credential }), [path, session.credential])
  const review: Review = async (decision, reason) => {
    const answer = await api<{ release: Release; signed: boolean }>(`${path}/review`, { method: 'POST', body: reason === undefined ? { decision } : { decision, reason }, credential: session.credential })
    release.reload()
    return t(answer.signed ? 'releaseSigned' : answer.release.status === 'rejected' ? 'releaseRejected' : 'releaseAwaiting')
  }
  const r = release.data
  const mine = r?.decisions.some((d) => d.operator === session.subject) ?? false
  return (
    <section>
      <p>
        <a href="#/releases">← {t('back')}</a>
      </p>
      <h1 tabIndex={-1}>
        {t('nav_releases')} · {id}
      </h1>
      <ErrorNote error={release.error} />
      {release.loading && r === undefined ? <Loading /> : null}
      {r === undefined ? null : (
        <>
          <dl class="facts">
            <dt>{t('status')}</dt>
            <dd>
              <StatusBadge status={r.status} /> {t('approvals')} {approvalsOf(r)} / {r.reviewersNeeded}
            </dd>
            <dt>{t('product')}</dt>
            <dd>
              {r.product}@{r.version} ({r.kind})
            </dd>
            <dt>{t('partner')}</dt>
            <dd>{r.partner}</dd>
            <dt>{t('consumer')}</dt>
            <dd>{r.consumer}</dd>
            <dt>{t('createdAt')}</dt>
            <dd>{when(r.createdAt)}</dd>
          </dl>
          <h2>{t('report')}</h2>
          <ReportView report={r.report} />
          {r.reasons.length === 0 ? null : (
            <>
              <h2>{t('refusalReasons')}</h2>
              <ul>
                {r.reasons.map((reason, i) => (
                  <li key={i}>
                    <code>{reason.code}</code> {JSON.stringify({ ...reason, code: undefined })}
                  </li>
                ))}
              </ul>
            </>
          )}
          {r.output === undefined || r.output === null ? null : <JsonView label={t('output')} value={r.output} />}
          <h2>{t('decisions')}</h2>
          {r.decisions.length === 0 ? (
            <Empty />
          ) : (
            <ul data-testid="release-decisions">
              {r.decisions.map((d, i) => (
                <li key={i}>
                  {when(d.at)} · {d.operator} · <strong>{t(d.decision)}</strong> {d.reason ?? ''}
                </li>
              ))}
            </ul>
          )}
          <ReviewActions open={r.status === 'pending' && !mine} approveLabel={t('approveRelease')} rejectLabel={t('rejectRelease')} review={review} />
        </>
      )}
    </section>
  )
}
