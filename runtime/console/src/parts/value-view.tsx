/**
 * Data as tables instead of JSON (a queued output, a dev run's input and output): rows of records
 * as a table with a column per member, a record as a definition list, a list of plain values
 * joined. Member names are the product's own and are shown as code; values as text, never markup.
 */
import { Fragment } from 'preact'
import { useT } from '../i18n.ts'

const MAX_ROWS = 200
const MAX_DEPTH = 6

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json }

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

function Scalar({ value }: { value: unknown }) {
  const t = useT()
  if (value === null || value === undefined) return <span class="muted">{t('emptyValue')}</span>
  if (typeof value === 'boolean') return <>{t(value ? 'yes' : 'no')}</>
  if (typeof value === 'number') return <>{value.toLocaleString('zh-CN', { maximumFractionDigits: 6 })}</>
  // a product's own value (a grade, a pseudonym): shown as the program's output it is
  return <samp>{String(value)}</samp>
}

export function ValueView({ value, depth = 0 }: { value: unknown; depth?: number }) {
  const t = useT()
  if (depth > MAX_DEPTH) return <span class="muted">…</span>
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">{t('emptyList')}</span>
    if (value.every(isRecord)) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row)))]
      const shown = value.slice(0, MAX_ROWS)
      return (
        <>
          <table class="data">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    <code>{c}</code>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>
                      <ValueView value={row[c]} depth={depth + 1} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {value.length > MAX_ROWS ? <p class="muted small">{t('rowsShown').replace('{shown}', String(MAX_ROWS)).replace('{total}', String(value.length))}</p> : null}
        </>
      )
    }
    if (value.some((v) => typeof v === 'object' && v !== null)) {
      return (
        <ol>
          {value.slice(0, MAX_ROWS).map((v, i) => (
            <li key={i}>
              <ValueView value={v} depth={depth + 1} />
            </li>
          ))}
        </ol>
      )
    }
    return (
      <>
        {value.map((v, i) => (
          <Fragment key={i}>
            {i === 0 ? '' : '、'}
            <Scalar value={v} />
          </Fragment>
        ))}
      </>
    )
  }
  if (isRecord(value)) {
    const entries = Object.entries(value)
    if (entries.length === 0) return <span class="muted">{t('emptyValue')}</span>
    return (
      <dl class="facts nested">
        {entries.map(([k, v]) => (
          <Fragment key={k}>
            <dt>
              <code>{k}</code>
            </dt>
            <dd>
              <ValueView value={v} depth={depth + 1} />
            </dd>
          </Fragment>
        ))}
      </dl>
    )
  }
  return <Scalar value={value} />
}
