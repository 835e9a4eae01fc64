/**
 * 产品清单公示: every published product with its category, provider, source departments, price
 * and the code hash its releases carry. Operators also set each product's price cap here.
 */
import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, Loading } from '../parts/feedback.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'

type PublicProduct = { id: string; version: string; title: string; category: string; partner: string; sources: string[]; pricePerCall: number; codeHash: string }
type PriceCap = { product: string; capFen: number; setBy: string; setAt: string }

function PriceCapForm({ session, product, cap, onSet }: { session: Session; product: string; cap: number | undefined; onSet: () => void }) {
  const t = useT()
  const [value, setValue] = useState(cap === undefined ? '' : String(cap))
  const [error, setError] = useState<unknown>(undefined)
  const [done, setDone] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    setDone(false)
    try {
      const capFen = Number(value)
      if (!Number.isInteger(capFen) || capFen < 0) throw new Error(t('priceCap'))
      await api(`/v1/operator/price-caps/${encodeURIComponent(product)}`, { method: 'PUT', body: { capFen }, credential: session.credential })
      setError(undefined)
      setDone(true)
      onSet()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <form class="inline" onSubmit={submit}>
      <label>
        <span class="visually-hidden">
          {t('priceCap')} · {product}
        </span>
        <input type="number" min={0} step={1} required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <button type="submit" class="secondary">
        {t('setCap')}
      </button>
      {done ? <Done>{t('capSet')}</Done> : null}
      <ErrorNote error={error} />
    </form>
  )
}

export function ProductsPage({ session }: { session: Session | undefined }) {
  const t = useT()
  const products = useLoad(() => api<{ products: PublicProduct[] }>('/v1/products'), [])
  const operator = session?.role === 'operator' ? session : undefined
  const [search, setSearch] = useState('')
  const [category, setCategory] = useState('')
  const categories = [...new Set((products.data?.products ?? []).map((p) => p.category))].sort()
  const needle = search.trim().toLowerCase()
  const shown = (products.data?.products ?? []).filter(
    (p) => (category === '' || p.category === category) && (needle === '' || [p.title, p.id, p.partner, ...p.sources].some((text) => text.toLowerCase().includes(needle))),
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
                {c}
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
              <th scope="col">{t('partner')}</th>
              <th scope="col">{t('sources')}</th>
              <th scope="col" class="num">{t('price')}</th>
              <th scope="col">{t('codeHash')}</th>
              {operator === undefined ? null : <th scope="col">{t('priceCap')}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  {p.title}
                  <div class="muted small">
                    {p.id} · v{p.version}
                  </div>
                </th>
                <td>{p.category}</td>
                <td>{p.partner}</td>
                <td>{p.sources.join('、')}</td>
                <td class="num">{p.pricePerCall === 0 ? t('free') : p.pricePerCall.toFixed(2)}</td>
                <td>
                  <code title={p.codeHash}>{p.codeHash.slice(0, 12)}…</code>
                </td>
                {operator === undefined ? null : (
                  <td>{caps.data === undefined ? null : <PriceCapForm session={operator} product={p.id} cap={caps.data.caps.find((c) => c.product === p.id)?.capFen} onSet={caps.reload} />}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
