/**
 * 我的产品: a partner's product versions and where each stands in review (and why one was rejected,
 * by whom and when), its last dev run on sample data, and the versions published, with their
 * price in 元 and whether they still serve.
 */
import { CATEGORY_NAMES, PRODUCT_KIND_NAMES, PRODUCT_STATUS_NAMES, VERSION_STATUS_NAMES } from '../../../dictionary/index.ts'
import { api } from '../api.ts'
import { yuanOfFen } from '../format.ts'
import { useName, useT } from '../i18n.ts'
import { DevRunView } from '../parts/dev-run-view.tsx'
import { Empty, ErrorNote, Loading, StatusBadge, When } from '../parts/feedback.tsx'
import { ActorName } from '../parts/names.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'
import type { Version } from './versions-page.tsx'

type Published = { id: string; version: string; title: string; category: string; codeHash: string; scenario: string; priceFen: number; status: string }

export function MyProductsPage({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const mine = useLoad(() => api<{ versions: Version[]; published: Published[] }>('/v1/partner/products', { credential: session.credential }), [session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_myProducts')}</h1>
      <ErrorNote error={mine.error} />
      {mine.loading ? <Loading /> : null}
      {mine.data === undefined ? null : (
        <>
          <h2>{t('myVersions')}</h2>
          {mine.data.versions.length === 0 ? (
            <Empty />
          ) : (
            <table data-testid="my-versions">
              <thead>
                <tr>
                  <th scope="col">{t('product')}</th>
                  <th scope="col">{t('version')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('reviewOutcome')}</th>
                  <th scope="col">{t('devRun')}</th>
                </tr>
              </thead>
              <tbody>
                {mine.data.versions.map((v) => (
                  <tr key={`${v.product}@${v.version}`} data-testid={`my-version-${v.product}@${v.version}`}>
                    <th scope="row">
                      {v.title} <code class="small">{v.product}</code>
                    </th>
                    <td>{v.version}</td>
                    <td>{name(PRODUCT_KIND_NAMES, v.kind)}</td>
                    <td>
                      <StatusBadge status={v.status} names={VERSION_STATUS_NAMES} />
                    </td>
                    <td class="clip">
                      {v.reviewer === null ? (
                        '—'
                      ) : (
                        <>
                          <ActorName id={v.reviewer} /> · <When at={v.decidedAt} />
                          {v.reason === null ? null : (
                            <p class={v.status === 'rejected' ? 'note error' : 'small'} data-testid="review-reason">
                              {t('reason')}：{v.reason}
                            </p>
                          )}
                        </>
                      )}
                    </td>
                    <td>
                      <details>
                        <summary>{v.devRun === null ? t('noDevRun') : v.devRun.ok === true ? t('succeeded') : t('failed')}</summary>
                        <DevRunView run={v.devRun} />
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('myPublished')}</h2>
          {mine.data.published.length === 0 ? (
            <Empty />
          ) : (
            <table data-testid="my-published">
              <thead>
                <tr>
                  <th scope="col">{t('product')}</th>
                  <th scope="col">{t('version')}</th>
                  <th scope="col">{t('category')}</th>
                  <th scope="col" class="num">{t('price')}</th>
                  <th scope="col">{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {mine.data.published.map((p) => (
                  <tr key={`${p.id}@${p.version}`}>
                    <th scope="row">
                      {p.title} <code class="small">{p.id}</code>
                    </th>
                    <td>{p.version}</td>
                    <td>{name(CATEGORY_NAMES, p.category)}</td>
                    <td class="num">{p.priceFen === 0 ? t('free') : yuanOfFen(p.priceFen)}</td>
                    <td>
                      <StatusBadge status={p.status} names={PRODUCT_STATUS_NAMES} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  )
}
