/** How screens show waiting, failures and outcomes: announced to screen readers, never silent. */
import { useEffect, useRef } from 'preact/hooks'
import { ApiError } from '../api.ts'
import { useT } from '../i18n.ts'

export function Loading() {
  const t = useT()
  return <p class="muted" role="status">{t('loading')}</p>
}

export function ErrorNote({ error }: { error: unknown }) {
  const t = useT()
  if (error === undefined || error === null) return null
  const text = error instanceof ApiError ? `${error.code}${error.reasons.length > 0 ? `: ${error.reasons.join(', ')}` : ''}${error.requestId === undefined ? '' : ` · ${error.requestId}`}` : error instanceof Error ? error.message : String(error)
  const problems = error instanceof ApiError ? error.problems : []
  return (
    <div class="note error" role="alert">
      <strong>{t('error')}</strong> {text}
      {problems.length === 0 ? null : (
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** An outcome. With `focus`, it takes the keyboard focus when shown (the button that led here may be gone). */
export function Done({ children, focus = false }: { children: preact.ComponentChildren; focus?: boolean }) {
  const note = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (focus) note.current?.focus()
  }, [focus, children])
  return (
    <p class="note ok" role="status" ref={note} tabIndex={focus ? -1 : undefined}>
      {children}
    </p>
  )
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT()
  return <span class={`badge badge-${status}`}>{t(`status_${status}`)}</span>
}

export function Empty() {
  const t = useT()
  return <p class="muted">{t('nothing')}</p>
}

/** Local time for an ISO or DuckDB UTC timestamp. */
export function when(at: string | null | undefined): string {
  if (at == null) return '—'
  const iso = at.includes('T') ? at : `${at.replace(' ', 'T')}Z`
  const d = new Date(iso.endsWith('Z') || /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`)
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString('zh-CN', { hour12: false })
}
