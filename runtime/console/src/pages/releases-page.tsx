/**
 * 出域审核: datasets and reports wait here until two operators (never the product's partner)
 * approve them. A reviewer sees the automatic report, any refusal reasons and the queued output in
 * domain as tables, and approves or rejects with a reason; the second approval signs the release.
 */
import { useState } from 'preact/hooks'
import { PRODUCT_KIND_NAMES, RELEASE_STATUS_NAMES, REVIEW_DECISION_NAMES } from '../../../dictionary/index.ts'
import { api, query } from '../api.ts'
import { useName, useT } from '../i18n.ts'
import { Facts } from '../parts/facts.tsx'
import { Empty, ErrorNote, Loading, StatusBadge, When } from '../parts/feedback.tsx'
import { ActorName, ConsumerName, PartnerName, VersionName } from '../parts/names.tsx'
import { ReasonsView, ReportView, type Report } from '../parts/report-view.tsx'
import { ReviewActions, type Review } from '../parts/review-actions.tsx'
import { useLoad } from '../parts/use-load.ts'
import { ValueView } from '../parts/value-view.tsx'
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
  report: Report
  reviewersNeeded: number
  decisions: Decision[]
  output?: unknown
}

const approvalsOf = (r: Release) => r.decisions.filter((d) => d.decision === 'approve').length

export function ReleasesPage({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const [status, setStatus] = useState('pending')
  const list = useLoad(() => api<{ releases: Release[] }>(`/v1/operator/releases${query({ status })}`, { credential: session.credential }), [status, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('releaseQueue')}</h1>
      <StatusFilter value={status} options={['pending', 'released', 'rejected', 'refused']} names={RELEASE_STATUS_NAMES} onChange={setStatus} />
      <ErrorNote error={list.error} />
      {list.loading ? <Loading /> : null}
      {list.data === undefined ? null : list.data.releases.length === 0 ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('releaseId')}</th>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('consumer')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('timeBeijing')}</th>
              <th scope="col">{t('approvals')}</th>
              <th scope="col">{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.releases.map((r) => (
              <tr key={r.releaseId}>
                <th scope="row">
                  <a href={`#/releases/${encodeURIComponent(r.releaseId)}`}>
                    <code>{r.releaseId}</code>
                  </a>
                </th>
                <td>
                  <VersionName product={r.product} version={r.version} />
                </td>
                <td>
                  <ConsumerName id={r.consumer} />
                </td>
                <td>{name(PRODUCT_KIND_NAMES, r.kind)}</td>
                <td>
                  <When at={r.createdAt} />
                </td>
                <td>
                  {approvalsOf(r)} / {r.reviewersNeeded}
                </td>
                <td>
                  <StatusBadge status={r.status} names={RELEASE_STATUS_NAMES} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function ReleasePage({ session, id }: { session: Session; id: string }) {
  const t = useT()
  const name = useName()
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
        {t('nav_releases')} · <code>{id}</code>
      </h1>
      <ErrorNote error={release.error} />
      {release.loading && r === undefined ? <Loading /> : null}
      {r === undefined ? null : (
        <>
          <Facts
            facts={[
              [t('status'), <><StatusBadge status={r.status} names={RELEASE_STATUS_NAMES} /> {t('approvals')} {approvalsOf(r)} / {r.reviewersNeeded}</>],
              [t('product'), <VersionName product={r.product} version={r.version} />],
              [t('kind'), name(PRODUCT_KIND_NAMES, r.kind)],
              [t('partner'), <PartnerName id={r.partner} withId />],
              [t('consumer'), <ConsumerName id={r.consumer} withId />],
              [t('timeBeijing'), <When at={r.createdAt} />],
            ]}
          />
          <h2>{t('report')}</h2>
          <ReportView report={r.report} />
          {r.reasons.length === 0 ? null : (
            <>
              <h2>{t('refusalReasons')}</h2>
              <ReasonsView reasons={r.reasons} />
            </>
          )}
          {r.output === undefined || r.output === null ? null : (
            <section aria-labelledby="queued-output">
              <h2 id="queued-output">{t('output')}</h2>
              <div class="preview" data-testid="release-output">
                <ValueView value={r.output} />
              </div>
            </section>
          )}
          <h2>{t('decisions')}</h2>
          {r.decisions.length === 0 ? (
            <Empty>{t('noDecisionsYet')}</Empty>
          ) : (
            <table data-testid="release-decisions">
              <thead>
                <tr>
                  <th scope="col">{t('timeBeijing')}</th>
                  <th scope="col">{t('reviewer')}</th>
                  <th scope="col">{t('decision')}</th>
                  <th scope="col">{t('reason')}</th>
                </tr>
              </thead>
              <tbody>
                {r.decisions.map((d, i) => (
                  <tr key={i}>
                    <td>
                      <When at={d.at} />
                    </td>
                    <td>
                      <ActorName id={d.operator} />
                    </td>
                    <td>
                      <StatusBadge status={d.decision === 'approve' ? 'approved' : 'rejected'} names={{ approved: REVIEW_DECISION_NAMES.approve, rejected: REVIEW_DECISION_NAMES.reject }} />
                    </td>
                    <td>{d.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ReviewActions open={r.status === 'pending' && !mine} approveLabel={t('approveRelease')} rejectLabel={t('rejectRelease')} review={review} />
        </>
      )}
    </section>
  )
}
