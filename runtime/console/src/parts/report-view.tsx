/**
 * The automatic report the release reviewers read (runtime/release/release-report.ts): the output's
 * size, the release checks it passed, and each item of the report with its status, its sentence
 * (in Chinese as the runtime wrote it; in English its name and figures) and its figures by name.
 */
import { FOUND_IDENTIFIER_NAMES, RELEASE_CHECK_NAMES, REFUSAL_NAMES, REPORT_FIGURE_NAMES, REPORT_ITEM_NAMES, REPORT_STATUS_NAMES } from '../../../dictionary/index.ts'
import { useLanguage, useName, useT } from '../i18n.ts'
import { Facts } from './facts.tsx'
import { StatusBadge } from './feedback.tsx'
import { ValueView } from './value-view.tsx'

type Item = { check: string; status: string; zh?: string; figures?: Record<string, number | string> }
export type Report = { passed?: string[]; bytes?: number; items?: Item[]; suppressed?: { rule: string; count: number }[]; [k: string]: unknown }

const KNOWN = new Set(['passed', 'bytes', 'items', 'suppressed'])

function Figures({ figures }: { figures: Record<string, number | string> | undefined }) {
  const t = useT()
  const name = useName()
  const entries = Object.entries(figures ?? {})
  if (entries.length === 0) return <>—</>
  return (
    <>
      {entries.map(([k, v], i) => (
        <span key={k}>
          {i === 0 ? '' : ' · '}
          {name(REPORT_FIGURE_NAMES, k)} {v === 'yes' ? t('yes') : v === 'no' ? t('no') : String(v)}
        </span>
      ))}
    </>
  )
}

export function ReportView({ report }: { report: Report }) {
  const t = useT()
  const name = useName()
  const language = useLanguage()
  const others = Object.entries(report).filter(([k]) => !KNOWN.has(k))
  return (
    <div data-testid="release-report">
      <Facts
        facts={[
          report.bytes !== undefined && [t('outputSize'), t('bytesOf').replace('{n}', report.bytes.toLocaleString('zh-CN'))],
          [t('checksPassed'), (report.passed ?? []).length === 0 ? t('none') : (report.passed ?? []).map((c) => name(RELEASE_CHECK_NAMES, c)).join('；')],
          (report.suppressed ?? []).length > 0 && [t('suppressedCells'), (report.suppressed ?? []).map((s) => `${name(REFUSAL_NAMES, s.rule)} ${s.count}`).join('；')],
          ...others.map(([k, v]) => [k, <ValueView value={v} />] as const),
        ]}
      />
      {(report.items ?? []).length === 0 ? null : (
        <table data-testid="report-items">
          <thead>
            <tr>
              <th scope="col">{t('reportItem')}</th>
              <th scope="col">{t('result')}</th>
              <th scope="col">{t('explanation')}</th>
              <th scope="col">{t('figures')}</th>
            </tr>
          </thead>
          <tbody>
            {(report.items ?? []).map((item, i) => (
              <tr key={i} class={`report-${item.status}`}>
                <th scope="row">{name(REPORT_ITEM_NAMES, item.check)}</th>
                <td>
                  <StatusBadge status={item.status} names={REPORT_STATUS_NAMES} />
                </td>
                <td class="clip">{language === 'zh' && item.zh !== undefined ? item.zh : name(REPORT_ITEM_NAMES, item.check)}</td>
                <td>
                  <Figures figures={item.figures} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

/** A refusal's reasons, each by its name and what it carries (a count, a kind, a place, a limit). */
export function ReasonsView({ reasons }: { reasons: readonly { code: string; [k: string]: unknown }[] }) {
  const t = useT()
  const name = useName()
  return (
    <ul data-testid="refusal-reasons">
      {reasons.map((r, i) => {
        const said: preact.ComponentChildren[] = []
        if (typeof r.kind === 'string') said.push(name(FOUND_IDENTIFIER_NAMES, r.kind))
        if (typeof r.problems === 'number') said.push(t('problemsCount').replace('{n}', String(r.problems)))
        if (typeof r.offset === 'number') said.push(t('atCharacter').replace('{n}', String(r.offset)))
        if (typeof r.path === 'string') said.push(<>{t('atPath')} <code>{r.path}</code></>)
        if (typeof r.limit === 'number') said.push(t('limitOf').replace('{n}', String(r.limit)))
        if (typeof r.periodDays === 'number') said.push(t('perDays').replace('{n}', String(r.periodDays)))
        return (
          <li key={i}>
            <strong>{name(REFUSAL_NAMES, r.code)}</strong>
            {said.length === 0
              ? null
              : said.map((s, j) => (
                  <span key={j}>
                    {j === 0 ? '（' : '，'}
                    {s}
                    {j === said.length - 1 ? '）' : ''}
                  </span>
                ))}
          </li>
        )
      })}
    </ul>
  )
}
