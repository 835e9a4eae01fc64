/**
 * 产品清单公示: every published product with its category, provider, source departments, price
 * and the code hash its releases carry. Operators also set each product's price cap here, in 元
 * (kept in 分 by the server); the list shows the cap in force after each change.
 */
import { useEffect, useState } from 'preact/hooks'
import { CATEGORY_NAMES } from '../../../dictionary/index.ts'
import { api } from '../api.ts'
import { fenOfYuan, yuan, yuanOfFen } from '../format.ts'
import { useName, useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, FormProblems, Loading } from '../parts/feedback.tsx'
import { PartnerName } from '../parts/names.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'

type PublicProduct = { id: string; version: string; title: string; category: string; partner: string; partnerName: string | null; sources: string[]; pricePerCall: number; codeHash: string }
type PriceCap = { product: string; capFen: number; setBy: string; setAt: string }

function PriceCapForm({ session, product, title, capFen, onSet }: { session: Session; product: string; title: string; capFen: number | undefined; onSet: () => void }) {
  const t = useT()
  const [value, setValue] = useState(capFen === undefined ? '' : yuanOfFen(capFen))
  const [error, setError] = useState<unknown>(undefined)
  const [done, setDone] = useState<string | undefined>(undefined)
  // the cap in force after a save (or another operator's) is what the form shows
  useEffect(() => setValue(capFen === undefined ? '' : yuanOfFen(capFen)), [capFen])
  const submit = async (event: Event) => {
    event.preventDefault()
    setDone(undefined)
    const fen = fenOfYuan(value)
    if (value.trim() === '' || fen === undefined || fen > 10_000_000) {
      setError(new FormProblems([{ field: t('priceCap'), problem: value.trim() === '' ? t('isRequired') : t('notAnAmount') }]))
      return
    }
    try {
      await api(`/v1/operator/price-caps/${encodeURIComponent(product)}`, { method: 'PUT', body: { capFen: fen }, credential: session.credential })
      setError(undefined)
      setDone(t('capSetTo').replace('{yuan}', yuanOfFen(fen)))
      onSet()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <form class="inline" onSubmit={submit} noValidate>
      <label>
        <span class="visually-hidden">
          {t('priceCap')} · {title}
        </span>
        <input inputMode="decimal" value={value} onInput={(e) => setValue(e.currentTarget.value)} aria-invalid={error instanceof FormProblems ? 'true' : undefined} />
      </label>
      <span aria-hidden="true">{t('yuanUnit')}</span>
      <button type="submit" class="secondary">
        {t('setCap')}
      </button>
      {done === undefined ? null : <Done>{done}</Done>}
      <ErrorNote error={error} />
    </form>
  )
}

export function ProductsPage({ session }: { session: Session | undefined }) {
  const t = useT()
  const name = useName()
  const products = useLoad(() => api<{ products: PublicProduct[] }>('/v1/products'), [])
  const operator = session?.role === 'operator' ? session : undefined
  const [search, setSearch] = useState('')
  const [category, setCategory] = useState('')
  const categories = [...new Set((products.data?.products ?? []).map((p) => p.category))].sort()
  const needle = search.trim().toLowerCase()
  const shown = (products.data?.products ?? []).filter(
    (p) => (category === '' || p.category === category) && (needle === '' || [p.title, p.id, p.partner, p.partnerName ?? '', ...p.sources].some((text) => text.toLowerCase().includes(needle))),
  )
  const caps = useLoad(() => (operator === undefined ? Promise.resolve({ caps: [] as PriceCap[] }) : api<{ caps: PriceCap[] }>('/v1/operator/price-caps', { credential: operator.credential })), [operator?.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_products')}</h1>
      <div class="row" role="search">
        <label>
          {t('searchProducts')}
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <label>
          {t('category')}
          <select value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {name(CATEGORY_NAMES, c)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={products.error ?? caps.error} />
      {products.loading ? <Loading /> : null}
      {products.data === undefined ? null : shown.length === 0 ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('category')}</th>
              <th scope="col">{t('provider')}</th>
              <th scope="col">{t('sources')}</th>
              <th scope="col" class="num">{t('price')}</th>
              <th scope="col">{t('codeHash')}</th>
              {operator === undefined ? null : <th scope="col">{t('priceCap')}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => {
              const cap = caps.data?.caps.find((c) => c.product === p.id)?.capFen
              return (
                <tr key={p.id} data-testid={`product-${p.id}`}>
                  <th scope="row">
                    {p.title}
                    <div class="muted small">
                      <code>{p.id}</code> · {t('version')} {p.version}
                    </div>
                  </th>
                  <td>{name(CATEGORY_NAMES, p.category)}</td>
                  <td>
                    <PartnerName id={p.partner} />
                  </td>
                  <td>{p.sources.join('、')}</td>
                  <td class="num">{p.pricePerCall === 0 ? t('free') : yuan(p.pricePerCall)}</td>
                  <td>
                    <code title={p.codeHash}>{p.codeHash.slice(0, 12)}…</code>
                  </td>
                  {operator === undefined ? null : (
                    <td data-testid={`cap-${p.id}`}>
                      <p class="small">{cap === undefined ? t('noCap') : t('capInForce').replace('{yuan}', yuanOfFen(cap))}</p>
                      {caps.data === undefined ? null : <PriceCapForm session={operator} product={p.id} title={p.title} capFen={cap} onSet={caps.reload} />}
                    </td>
                  )}
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
