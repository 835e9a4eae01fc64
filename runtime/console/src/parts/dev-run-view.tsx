/**
 * A version's dev run on sample data as a reviewer or its partner reads it: whether it succeeded
 * and when, the input and output as tables, the release checks it passed or the reasons it was
 * refused, the error it failed with, and the product's own log lines (synthetic data only).
 */
import { ERROR_NAMES, RELEASE_CHECK_NAMES } from '../../../dictionary/index.ts'
import { useName, useT } from '../i18n.ts'
import { Facts } from './facts.tsx'
import { When } from './feedback.tsx'
import { ReasonsView } from './report-view.tsx'
import { ValueView } from './value-view.tsx'

export type DevRun = { ok?: unknown; at?: string; input?: unknown; output?: unknown; checks?: unknown; error?: { code?: unknown; productCode?: unknown } | null; logs?: unknown; message?: unknown }

type Checks = { passed?: unknown; refused?: unknown }

function ChecksView({ checks }: { checks: unknown }) {
  const t = useT()
  const name = useName()
  if (typeof checks !== 'object' || checks === null) return <>{t('notReached')}</>
  const c = checks as Checks
  if (Array.isArray(c.refused)) return <ReasonsView reasons={c.refused.filter((r): r is { code: string } => typeof r?.code === 'string')} />
  if (Array.isArray(c.passed)) return <>{c.passed.length === 0 ? t('none') : c.passed.map((p) => name(RELEASE_CHECK_NAMES, String(p))).join('；')}</>
  return <ValueView value={checks} />
}

export function DevRunView({ run }: { run: DevRun | null }) {
  const t = useT()
  const name = useName()
  if (run === null) return <p class="muted">{t('noDevRun')}</p>
  const logs = Array.isArray(run.logs) ? run.logs.map(String) : []
  return (
    <div data-testid="dev-run">
      <Facts
        facts={[
          [t('result'), run.ok === true ? t('succeeded') : t('failed')],
          [t('timeBeijing'), <When at={run.at} />],
          run.input !== undefined && [t('input'), <ValueView value={run.input} />],
          run.output !== undefined && [t('outputDeclared'), <ValueView value={run.output} />],
          [t('releaseChecks'), <ChecksView checks={run.checks} />],
          run.error != null && typeof run.error.code === 'string' && [t('error'), <>{name(ERROR_NAMES, run.error.code)}{run.error.productCode === undefined ? null : <> · {t('productCode')} <code>{String(run.error.productCode)}</code></>}</>],
          logs.length > 0 && [t('productLogs'), <pre class="logs" tabIndex={0}>{logs.join('\n')}</pre>],
        ]}
      />
    </div>
  )
}
