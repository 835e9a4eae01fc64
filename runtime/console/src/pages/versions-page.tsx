/**
 * 产品审查: the product versions partners submitted, and one version's review file: the manifest,
 * the scenario it runs under, the code hash, the dev run on sample data and the automatic checks,
 * all as tables in words. Failing checks stand out; such a version is approved only by an explicit
 * override with its reason (never over a code hash that does not match); a rejection needs a
 * reason too.
 */
import { useState } from 'preact/hooks'
import { CATEGORY_NAMES, PRODUCT_KIND_NAMES, SCENARIO_STATUS_NAMES, VERSION_CHECK_NAMES, VERSION_STATUS_NAMES } from '../../../dictionary/index.ts'
import { api, query } from '../api.ts'
import { loadCatalog } from '../catalog.ts'
import { useName, useT } from '../i18n.ts'
import { DevRunView, type DevRun } from '../parts/dev-run-view.tsx'
import { Facts } from '../parts/facts.tsx'
import { Done, Empty, ErrorNote, Loading, StatusBadge, When } from '../parts/feedback.tsx'
import { ManifestView, type Manifest } from '../parts/manifest-view.tsx'
import { ActorName, PartnerName } from '../parts/names.tsx'
import { ReasonAction } from '../parts/reason-action.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'
import { StatusFilter } from './scenarios-page.tsx'
import { ServerText } from '../parts/server-text.tsx'

export type Version = {
  product: string
  version: string
  partner: string
  status: 'uploaded' | 'submitted' | 'approved' | 'rejected'
  codeHash: string
  title: string
  kind: string
  category: string
  scenario: string | null
  devRun: DevRun | null
  reviewer: string | null
  reason: string | null
  uploadedAt: string
  decidedAt: string | null
}
type Check = { check: string; ok: boolean; detail?: string }
type ReviewFile = { version: Version; manifest: Manifest | null; scenario: { id: string; status: string; category: string; expiresOn: string | null } | null; checks: Check[] }

/** Checks no override passes: the stored sources must be what the operator reads (runtime/server/version-approval.ts). */
const NEVER_OVERRIDDEN = new Set(['code_hash'])
/** The fewest characters of an override's reason the server takes. */
const OVERRIDE_REASON_MIN = 4

export function VersionsPage({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const [status, setStatus] = useState('submitted')
  const list = useLoad(() => api<{ versions: Version[] }>(`/v1/operator/versions${query({ status })}`, { credential: session.credential }), [status, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_versions')}</h1>
      <StatusFilter value={status} options={['uploaded', 'submitted', 'approved', 'rejected']} names={VERSION_STATUS_NAMES} onChange={setStatus} />
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
                  <div class="muted small">
                    <code>{v.product}</code>
                  </div>
                </th>
                <td>{v.version}</td>
                <td>
                  <PartnerName id={v.partner} />
                </td>
                <td>{name(PRODUCT_KIND_NAMES, v.kind)}</td>
                <td>{name(CATEGORY_NAMES, v.category)}</td>
                <td>{v.scenario === null ? '—' : <code>{v.scenario}</code>}</td>
                <td>
                  <StatusBadge status={v.status} names={VERSION_STATUS_NAMES} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** The automatic checks, failing ones first and said as such. */
export function VersionChecks({ checks }: { checks: readonly Check[] }) {
  const t = useT()
  const name = useName()
  const failing = checks.filter((c) => !c.ok)
  return (
    <>
      {failing.length === 0 ? (
        <p class="note ok" data-testid="checks-summary">
          {t('allChecksPassed')}
        </p>
      ) : (
        <div class="note error" data-testid="checks-summary">
          <strong>{t('checksFailed').replace('{n}', String(failing.length))}</strong>
          <ul>
            {failing.map((c) => (
              <li key={c.check}>{name(VERSION_CHECK_NAMES, c.check)}</li>
            ))}
          </ul>
        </div>
      )}
      <ul class="checks" data-testid="version-checks">
        {[...failing, ...checks.filter((c) => c.ok)].map((c) => (
          <li key={c.check} class={c.ok ? 'pass' : 'fail'}>
            <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> {name(VERSION_CHECK_NAMES, c.check)} — <strong>{t(c.ok ? 'passed' : 'failed')}</strong>
            {c.ok || c.detail === undefined ? null : (
              <div class="small">
                <ServerText text={c.detail} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </>
  )
}

function ReviewVersion({ open, path, session, checks, onReviewed }: { open: boolean; path: string; session: Session; checks: readonly Check[]; onReviewed: () => void }) {
  const t = useT()
  const [error, setError] = useState<unknown>(undefined)
  const [outcome, setOutcome] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const failing = checks.filter((c) => !c.ok)
  const blocked = failing.some((c) => NEVER_OVERRIDDEN.has(c.check))
  const send = async (body: { decision: 'approve' | 'reject'; reason?: string; override?: true }) => {
    setError(undefined)
    setBusy(true)
    try {
      await api(`${path}/review`, { method: 'POST', body, credential: session.credential })
      setOutcome(t(body.decision === 'approve' ? (body.override === true ? 'approvedWithOverride' : 'versionApproved') : 'versionRejected'))
      onReviewed()
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      {!open ? null : (
      <div class="row actions">
        {failing.length === 0 ? (
          <button type="button" class="primary" disabled={busy} onClick={() => send({ decision: 'approve' }).catch(setError)}>
            {t('approveVersion')}
          </button>
        ) : blocked ? (
          <p class="note error">{t('codeHashBlocks')}</p>
        ) : (
          <ReasonAction label={t('overrideChecks')} testId="override-checks" warning={t('overrideWarning').replace('{n}', String(failing.length))} minLength={OVERRIDE_REASON_MIN} onConfirm={(reason) => send({ decision: 'approve', override: true, reason })} />
        )}
        <ReasonAction label={t('rejectVersion')} danger onConfirm={(reason) => send({ decision: 'reject', reason })} />
      </div>
      )}
      {outcome === undefined ? null : <Done focus>{outcome}</Done>}
      <ErrorNote error={error} />
    </>
  )
}

export function VersionPage({ session, product, version }: { session: Session; product: string; version: string }) {
  const t = useT()
  const name = useName()
  const path = `/v1/operator/products/${encodeURIComponent(product)}/versions/${encodeURIComponent(version)}`
  const file = useLoad(() => api<ReviewFile>(path, { credential: session.credential }), [path, session.credential])
  const catalog = useLoad(loadCatalog, [])
  const f = file.data
  return (
    <section>
      <p>
        <a href="#/versions">← {t('back')}</a>
      </p>
      <h1 tabIndex={-1}>
        {t('nav_versions')} · {f?.version.title ?? <code>{product}</code>} {t('version')} {version}
      </h1>
      <ErrorNote error={file.error} />
      {file.loading && f === undefined ? <Loading /> : null}
      {f === undefined ? null : (
        <>
          <Facts
            facts={[
              [t('product'), <>{f.version.title} <code class="small">{f.version.product}</code></>],
              [t('status'), <StatusBadge status={f.version.status} names={VERSION_STATUS_NAMES} />],
              f.version.reviewer !== null && [t('reviewer'), <ActorName id={f.version.reviewer} />],
              f.version.decidedAt !== null && [t('decidedAtBeijing'), <When at={f.version.decidedAt} />],
              f.version.reason !== null && [t('reviewReason'), f.version.reason],
              [t('partner'), <PartnerName id={f.version.partner} withId />],
              [t('kind'), name(PRODUCT_KIND_NAMES, f.version.kind)],
              [t('category'), name(CATEGORY_NAMES, f.version.category)],
              [t('scenario'), f.scenario === null ? '—' : <><a href={`#/scenarios/${encodeURIComponent(f.scenario.id)}`}><code>{f.scenario.id}</code></a> <StatusBadge status={f.scenario.status} names={SCENARIO_STATUS_NAMES} /></>],
              [t('uploadedAtBeijing'), <When at={f.version.uploadedAt} />],
              [t('codeHash'), <code class="hash">{f.version.codeHash}</code>],
            ]}
          />
          <h2>{t('automaticChecks')}</h2>
          <VersionChecks checks={f.checks} />
          <ReviewVersion open={f.version.status === 'submitted'} path={path} session={session} checks={f.checks} onReviewed={file.reload} />
          <h2>{t('manifest')}</h2>
          {f.manifest === null ? <p class="note warn">{t('manifestUnavailable')}</p> : <ManifestView manifest={f.manifest} catalog={catalog.data} />}
          <h2>{t('devRun')}</h2>
          <DevRunView run={f.version.devRun} />
        </>
      )}
    </section>
  )
}
