/**
 * 用量与费用 (a consumer's calls and charges) or 我的收益 (a partner's earnings), month by month and
 * product by product, each call at its own price, in 元.
 */
import { api } from '../api.ts'
import { yuan } from '../format.ts'
import { useT } from '../i18n.ts'
import { ErrorNote, Loading } from '../parts/feedback.tsx'
import { MonthlyTable } from '../parts/monthly-table.tsx'
import { useLoad } from '../parts/use-load.ts'
import type { Session } from '../session.ts'

type Statement = { lines: { month: string; product: string; calls: number; refused: number; amount: number }[]; total: number }

export function UsagePage({ session }: { session: Session }) {
  const t = useT()
  const consumer = session.role === 'consumer'
  const path = consumer ? '/v1/usage' : '/v1/partner/earnings'
  const statement = useLoad(() => api<Statement>(path, { credential: session.credential }), [path, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t(consumer ? 'nav_usage' : 'nav_earnings')}</h1>
      <p class="muted">{t(consumer ? 'usageHelp' : 'earningsHelp')}</p>
      <ErrorNote error={statement.error} />
      {statement.loading ? <Loading /> : null}
      {statement.data === undefined ? null : (
        <MonthlyTable testId="usage" rows={statement.data.lines} last={{ label: t(consumer ? 'fee' : 'earned'), value: (l) => yuan(l.amount) }} total={yuan(statement.data.total)} />
      )}
    </section>
  )
}
