/**
 * 我的数据集与报告: a consumer's runs (datasets and reports it asked for), what each waits for and
 * what was decided; a reviewed, signed one is downloaded here as a file (the release JWS), to be
 * verified against the platform's public keys (the verify page says how).
 */
import { useState } from 'preact/hooks'
import { PRODUCT_KIND_NAMES, RELEASE_STATUS_NAMES } from '../../../dictionary/index.ts'
import { api, query } from '../api.ts'
import { useName, useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, Loading, StatusBadge, When } from '../parts/feedback.tsx'
import { ProductName } from '../parts/names.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'
import { StatusFilter } from './scenarios-page.tsx'

type Run = { releaseId: string; product: string; productTitle: string | null; version: string; kind: string; status: 'pending' | 'released' | 'rejected' | 'refused'; createdAt: string; decidedAt: string | null }

/** Saves a text as a file the browser downloads (no navigation, nothing leaves the page). */
function saveAs(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/jose' }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

function Download({ session, run }: { session: Session; run: Run }) {
  const t = useT()
  const [error, setError] = useState<unknown>(undefined)
  const [done, setDone] = useState(false)
  const download = async () => {
    try {
      const answer = await api<{ status: string; release: string | null }>(`/v1/releases/${encodeURIComponent(run.releaseId)}`, { credential: session.credential })
      if (answer.release === null) throw new Error(t('releaseNotSigned'))
      saveAs(`${answer.release}\n`, `${run.releaseId}.jws`)
      setDone(true)
      setError(undefined)
    } catch (e) {
      setError(e)
    }
  }
  return (
    <>
      <button type="button" class="primary" data-testid={`download-${run.releaseId}`} onClick={() => void download()}>
        {t('downloadRelease')}
      </button>
      {done ? <Done>{t('releaseDownloaded')}</Done> : null}
      <ErrorNote error={error} />
    </>
  )
}

export function RunsPage({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const [status, setStatus] = useState('')
  const runs = useLoad(() => api<{ runs: Run[] }>(`/v1/runs${query({ status })}`, { credential: session.credential }), [status, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_runs')}</h1>
      <p class="muted">
        {t('runsHelp')} <a href="#/verify">{t('nav_verify')}</a>
      </p>
      <StatusFilter value={status} options={['pending', 'released', 'rejected', 'refused']} names={RELEASE_STATUS_NAMES} onChange={setStatus} />
      <ErrorNote error={runs.error} />
      {runs.loading && runs.data === undefined ? <Loading /> : null}
      {runs.data === undefined ? null : runs.data.runs.length === 0 ? (
        <Empty>{t('noRuns')}</Empty>
      ) : (
        <table data-testid="runs">
          <thead>
            <tr>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('askedAtBeijing')}</th>
              <th scope="col">{t('decidedAtBeijing')}</th>
              <th scope="col">{t('releaseId')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.runs.map((r) => (
              <tr key={r.releaseId} data-testid={`run-${r.releaseId}`}>
                <th scope="row">
                  {r.productTitle ?? <ProductName id={r.product} />} <span class="muted small">{t('version')} {r.version}</span>
                </th>
                <td>{name(PRODUCT_KIND_NAMES, r.kind)}</td>
                <td>
                  <StatusBadge status={r.status} names={RELEASE_STATUS_NAMES} />
                </td>
                <td>
                  <When at={r.createdAt} />
                </td>
                <td>{r.decidedAt === null ? t('waitingForReview') : <When at={r.decidedAt} />}</td>
                <td>
                  <code class="small">{r.releaseId}</code>
                </td>
                <td>{r.status === 'released' ? <Download session={session} run={r} /> : r.status === 'pending' ? <span class="muted small">{t('twoReviewers')}</span> : <span class="muted small">{t(r.status === 'rejected' ? 'rejectedNeverLeaves' : 'refusedNeverLeaves')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
