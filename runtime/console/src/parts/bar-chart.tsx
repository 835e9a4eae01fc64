/**
 * A bar chart (Chart.js, registered piece by piece so that only bars are bundled), with its
 * numbers also available as a table: a picture for those who look, a table for those who read
 * or use a screen reader.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js'
import { useEffect, useRef } from 'preact/hooks'
import { useT } from '../i18n.ts'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip)

const PALETTE = ['#1f5fa8', '#d9822b', '#2e8b57', '#b03a48', '#6a4c93', '#1b998b', '#c9a227', '#5c6f82', '#e07a5f', '#3d405b', '#81b29a', '#f2cc8f']

/** Values per label; null is a withheld cell (not drawn, shown as `withheld` in the table). */
export type Series = { readonly label: string; readonly values: readonly (number | null)[] }

export function BarChart({
  title,
  labels,
  series,
  stacked = false,
  horizontal = false,
  withheld = '',
  note,
  format = String,
  labelHeader,
  testId,
}: {
  title: string
  labels: readonly string[]
  series: readonly Series[]
  stacked?: boolean
  horizontal?: boolean
  withheld?: string
  note?: string
  /** How a value is written in the table (amounts in 元 with two decimals). */
  format?: (value: number) => string
  /** The table's first column: what the labels are (日期, 月份, 规则). */
  labelHeader: string
  testId: string
}) {
  const t = useT()
  const canvas = useRef<HTMLCanvasElement>(null)
  const empty = !series.some((s) => s.values.some((v) => v !== 0 && v !== null))
  const anyWithheld = series.some((s) => s.values.some((v) => v === null))
  const allWithheld = anyWithheld && !series.some((s) => s.values.some((v) => v !== null && v !== 0))
  useEffect(() => {
    if (canvas.current === null || empty) return
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: [...labels],
        datasets: series.map((s, i) => ({ label: s.label, data: [...s.values], backgroundColor: PALETTE[i % PALETTE.length]! })),
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
      },
    })
    return () => chart.destroy()
  }, [labels, series, stacked, horizontal, empty])
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {empty ? (
        <p class="muted">{t(allWithheld ? 'allWithheld' : 'nothing')}</p>
      ) : (
        <div class="chart-box">
          <canvas ref={canvas} role="img" aria-label={title} />
        </div>
      )}
      {anyWithheld && note !== undefined ? <p class="muted small">{note}</p> : null}
      <details>
        <summary>{t('showTable')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td class="num" key={s.label}>{s.values[i] === null ? withheld : format(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
