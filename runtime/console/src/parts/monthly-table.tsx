/** Calls and refusals per month and product (by title), with one more column (consumers, or the amount in 元) and an optional total. */
import { useT } from '../i18n.ts'
import { Empty } from './feedback.tsx'
import { ProductName } from './names.tsx'

/** Null counts are withheld cells (the public disclosure), said as `withheld`. */
export type MonthlyRow = { readonly month: string; readonly product: string; readonly calls: number | null; readonly refused: number | null }

export function MonthlyTable<R extends MonthlyRow>({ rows, last, total, withheld = '', testId, titles }: { rows: readonly R[]; last: { label: string; value: (row: R) => string }; total?: string; withheld?: string; testId?: string; titles?: Readonly<Record<string, string>> | undefined }) {
  const t = useT()
  if (rows.length === 0) return <Empty />
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('month')}</th>
          <th scope="col">{t('product')}</th>
          <th scope="col" class="num">{t('calls')}</th>
          <th scope="col" class="num">{t('refused')}</th>
          <th scope="col" class="num">{last.label}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.month}/${r.product}`} data-product={r.product}>
            <td>{r.month}</td>
            <td>
              <ProductName id={r.product} fallback={titles?.[r.product]} />
            </td>
            <td class="num">{r.calls ?? withheld}</td>
            <td class="num">{r.refused ?? withheld}</td>
            <td class="num">{last.value(r)}</td>
          </tr>
        ))}
      </tbody>
      {total === undefined ? null : (
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              {t('total')}
            </th>
            <td class="num">{total}</td>
          </tr>
        </tfoot>
      )}
    </table>
  )
}
