/**
 * 结算: the month's statements from the meter, per consumer (what it owes) and per partner (what
 * it earns), by name and product title, in 元; each call at the price it was made at; refused
 * calls are counted, never charged.
 */
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { api, query } from '../api.ts'
import { cityMonth, yuan } from '../format.ts'
import { useT } from '../i18n.ts'
import { Empty, ErrorNote, Loading } from '../parts/feedback.tsx'
import { ConsumerName, PartnerName, ProductName } from '../parts/names.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'

type Line = { month: string; product: string; calls: number; refused: number; amount: number }
type Statements = { consumers: { consumer: string; lines: Line[]; total: number }[]; partners: { partner: string; lines: Line[]; total: number }[] }

function StatementTable({ who, label, amountLabel, statements }: { who: string; label: string; amountLabel: string; statements: { id: string; name: ComponentChildren; lines: Line[]; total: number }[] }) {
  const t = useT()
  if (statements.length === 0) return <Empty />
  return (
    <table data-testid={`statements-${who}`}>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col">{t('product')}</th>
          <th scope="col" class="num">{t('calls')}</th>
          <th scope="col" class="num">{t('refused')}</th>
          <th scope="col" class="num">{amountLabel}</th>
        </tr>
      </thead>
      <tbody>
        {statements.flatMap((s) => [
          ...s.lines.map((l, i) => (
            <tr key={`${s.id}/${l.product}`} data-holder={s.id}>
              {i === 0 ? <th scope="row" rowSpan={s.lines.length + 1}>{s.name}</th> : null}
              <td>
                <ProductName id={l.product} />
              </td>
              <td class="num">{l.calls}</td>
              <td class="num">{l.refused}</td>
              <td class="num">{yuan(l.amount)}</td>
            </tr>
          )),
          <tr key={`${s.id}/total`} class="subtotal">
            <th scope="row" colSpan={3}>
              {t('total')}
            </th>
            <td class="num">{yuan(s.total)}</td>
          </tr>,
        ])}
      </tbody>
    </table>
  )
}

export function StatementsPage({ session }: { session: Session }) {
  const t = useT()
  const [month, setMonth] = useState(cityMonth())
  const statements = useLoad(() => api<Statements>(`/v1/operator/statements${query({ month })}`, { credential: session.credential }), [month, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_statements')}</h1>
      <label class="filter">
        {t('month')}
        <input type="month" value={month} onInput={(e) => e.currentTarget.value !== '' && setMonth(e.currentTarget.value)} />
      </label>
      <ErrorNote error={statements.error} />
      {statements.loading && statements.data === undefined ? <Loading /> : null}
      {statements.data === undefined ? null : (
        <>
          <h2>{t('consumerStatements')}</h2>
          <StatementTable who="consumers" label={t('consumer')} amountLabel={t('fee')} statements={statements.data.consumers.map((s) => ({ id: s.consumer, name: <ConsumerName id={s.consumer} />, lines: s.lines, total: s.total }))} />
          <h2>{t('partnerStatements')}</h2>
          <StatementTable who="partners" label={t('partner')} amountLabel={t('earned')} statements={statements.data.partners.map((s) => ({ id: s.partner, name: <PartnerName id={s.partner} />, lines: s.lines, total: s.total }))} />
        </>
      )}
    </section>
  )
}
