/** A consumer's calls and charges, or a partner's earnings, month by month (at each call's own price). */
import { api } from '../api.ts'
import { useT } from '../i18n.ts'
import { ErrorNote, Loading } from '../parts/feedback.tsx'
import { MonthlyTable } from '../parts/monthly-table.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'

type Statement = { lines: { month: string; product: string; calls: number; refused: number; amount: number }[]; total: number }

export function UsagePage({ session }: { session: Session }) {
  const t = useT()
  const path = session.role === 'consumer' ? '/v1/usage' : '/v1/partner/earnings'
  const statement = useLoad(() => api<Statement>(path, { credential: session.credential }), [path, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{session.role === 'consumer' ? t('myUsage') : t('earnings')}</h1>
      <ErrorNote error={statement.error} />
      {statement.loading ? <Loading /> : null}
      {statement.data === undefined ? null : <MonthlyTable rows={statement.data.lines} last={{ label: t('fee'), value: (l) => l.amount.toFixed(2) }} total={statement.data.total.toFixed(2)} />}
    </section>
  )
}
