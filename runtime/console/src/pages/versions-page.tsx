/**
 * 产品审查: the product versions partners submitted, and one version's review file: the manifest,
 * the scenario it runs under, the code hash, the dev run on sample data and the automatic checks.
 * The operator approves or rejects it (a rejection needs a reason).
 */
import { useState } from 'preact/hooks'
import { api, query } from '../api.ts'
import { useT } from '../i18n.ts'
import { Empty, ErrorNote, Loading, StatusBadge, when } from '../parts/feedback.tsx'
import { JsonView } from '../parts/json-view.tsx'
import { ReviewActions, type Review } from '../parts/review-actions.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'
import { StatusFilter } from './scenarios-page.tsx'

type Version = {
  product: string
  version: string
  partner: string
  status: 'uploaded' | 'submitted' | 'approved' | 'rejected'
  codeHash: string
  title: string
  kind: string
  category: string
  scenario: string | null
  devRun: { ok?: boolean; at?: string; checks?: unknown; error?: unknown } | null
  reviewer: string | null
  reason: string | null
  uploadedAt: string
  decidedAt: string | null
}
type ReviewFile = { version: Version; manifest: Record<string, unknown>; scenario: { id: string; status: string; category: string; expiresOn: string | null } | null; checks: { check: string; ok: boolean; detail?: string }[] }

export function VersionsPage({ session }: { session: Session }) {
  const t = useT()
  const [status, setStatus] = useState('submitted')
  const list = useLoad(() => api<{ versions: Version[] }>(`/v1/operator/versions${query({ status })}`, { credential: session.credential }), [status, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_versions')}</h1>
      <StatusFilter value={status} options={['uploaded', 'submitted', 'approved', 'rejected']} onChange={setStatus} />
      <ErrorNote error={list.error} />
      {list.loading ? <Loading /> : null}
      {list.data === undefined ? null : list.data.versions.length === 0 ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('version')}</th>
              <th scope="col">{t('partner')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('category')}</th>
              <th scope="col">{t('scenario')}</th>
              <th scope="col">{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.versions.map((v) => (
              <tr key={`${v.product}@${v.version}`}>
                <th scope="row">
                  <a href={`#/versions/${encodeURIComponent(v.product)}/${encodeURIComponent(v.version)}`}>{v.title}</a>
                  <div class="muted small">{v.product}</div>
                </th>
                <td>{v.version}</td>
                <td>{v.partner}</td>
                <td>{v.kind}</td>
                <td>{v.category}</td>
                <td>{v.scenario ?? '—'}</td>
                <td>
                  <StatusBadge status={v.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function VersionPage({ session, product, version }: { session: Session; product: string; version: string }) {
  const t = useT()
  const path = `/v1/operator/products/${encodeURIComponent(product)}/versions/${encodeURIComponent(version)}`
  const file = useLoad(() => api<ReviewFile>(path, { credential: session.credential }), [path, session.credential])
  const review: Review = async (decision, reason) => {
    await api(`${path}/review`, { method: 'POST', body: reason === undefined ? { decision } : { decision, reason }, credential: session.credential })
    file.reload()
    return t(decision === 'approve' ? 'status_approved' : 'status_rejected')
  }
  const f = file.data
  return (
    <section>
      <p>
        <a href="#/versions">← {t('back')}</a>
      </p>
      <h1 tabIndex={-1}>
        {t('nav_versions')} · {product}@{version}
      </h1>
      <ErrorNote error={file.error} />
      {file.loading && f === undefined ? <Loading /> : null}
      {f === undefined ? null : (
        <>
          <dl class="facts">
            <dt>{t('product')}</dt>
            <dd>{f.version.title}</dd>
            <dt>{t('status')}</dt>
            <dd>
              <StatusBadge status={f.version.status} /> {f.version.reviewer === null ? '' : `${f.version.reviewer} · ${when(f.version.decidedAt)}`} {f.version.reason ?? ''}
            </dd>
            <dt>{t('partner')}</dt>
            <dd>{f.version.partner}</dd>
            <dt>{t('kind')}</dt>
            <dd>{f.version.kind}</dd>
            <dt>{t('category')}</dt>
            <dd>{f.version.category}</dd>
            <dt>{t('scenario')}</dt>
            <dd>{f.scenario === null ? '—' : <a href={`#/scenarios/${encodeURIComponent(f.scenario.id)}`}>{f.scenario.id}</a>}</dd>
            <dt>{t('codeHash')}</dt>
            <dd>
              <code class="hash">{f.version.codeHash}</code>
            </dd>
          </dl>
          <h2>{t('automaticChecks')}</h2>
          <ul class="checks" data-testid="version-checks">
            {f.checks.map((c) => (
              <li key={c.check} class={c.ok ? 'pass' : 'fail'}>
                <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> {t(`check_${c.check}`)} — <strong>{t(c.ok ? 'passed' : 'failed')}</strong>
                {c.detail === undefined ? null : <span class="muted small"> {c.detail}</span>}
              </li>
            ))}
          </ul>
          <JsonView label={t('manifest')} value={f.manifest} open />
          <JsonView label={t('devRun')} value={f.version.devRun} open />
          <ReviewActions open={f.version.status === 'submitted'} approveLabel={t('approveVersion')} rejectLabel={t('rejectVersion')} review={review} />
        </>
      )}
    </section>
  )
}
