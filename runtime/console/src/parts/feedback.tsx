/** How screens show waiting, failures and outcomes: announced to screen readers, never silent. */
import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { ERROR_NAMES, REFUSAL_NAMES, VERSION_CHECK_NAMES, type Names } from '../../../dictionary/index.ts'
import { ApiError } from '../api.ts'
import { beijingTime, instantOf } from '../format.ts'
import { useName, useT } from '../i18n.ts'
import { ServerText } from './server-text.tsx'

export function Loading() {
  const t = useT()
  return <p class="muted" role="status">{t('loading')}</p>
}

/** What a form found wrong before sending: a field's label and the problem, in the reader's language. */
export class FormProblems extends Error {
  constructor(readonly problems: readonly { readonly field: string; readonly problem: string }[]) {
    super(problems.map((p) => `${p.field}：${p.problem}`).join('；'))
    this.name = 'FormProblems'
  }
}

/** Where a server's problem is: a version check by its name, a place in the request as its pointer. */
function ProblemPath({ path }: { path: string }) {
  const t = useT()
  const name = useName()
  if (path === '') return null
  if (path.startsWith('check:')) return <strong>{name(VERSION_CHECK_NAMES, path.slice('check:'.length))}</strong>
  const at = /^(body|query|path):(.*)$/.exec(path)
  if (at !== null) {
    return (
      <>
        {t(at[1] === 'body' ? 'problemInBody' : at[1] === 'query' ? 'problemInQuery' : 'problemInPath')} <code>{at[2]}</code>
      </>
    )
  }
  return <code>{path}</code>
}

export function ErrorNote({ error }: { error: unknown }) {
  const t = useT()
  const name = useName()
  if (error === undefined || error === null) return null
  if (error instanceof FormProblems) {
    return (
      <div class="note error" role="alert">
        <strong>{t('formProblems')}</strong>
        <ul>
          {error.problems.map((p) => (
            <li key={`${p.field}/${p.problem}`}>
              {p.field}：{p.problem}
            </li>
          ))}
        </ul>
      </div>
    )
  }
  if (!(error instanceof ApiError)) {
    return (
      <div class="note error" role="alert">
        <strong>{t('error')}</strong> {error instanceof Error ? error.message : String(error)}
      </div>
    )
  }
  return (
    <div class="note error" role="alert" data-code={error.code}>
      <strong>{name(ERROR_NAMES, error.code)}</strong>
      {error.reasons.length === 0 ? null : <span>：{error.reasons.map((r) => name(REFUSAL_NAMES, r)).join('、')}</span>}
      {error.problems.length === 0 ? null : (
        <ul>
          {error.problems.map((p, i) => (
            <li key={i}>
              <ProblemPath path={p.path} />
              {p.path === '' ? '' : '：'}
              <ServerText text={p.problem} />
            </li>
          ))}
        </ul>
      )}
      {error.requestId === undefined ? null : (
        <p class="small">
          {t('requestId')} <code>{error.requestId}</code>
        </p>
      )}
    </div>
  )
}

/** An outcome. With `focus`, it takes the keyboard focus when shown (the button that led here may be gone). */
export function Done({ children, focus = false }: { children: ComponentChildren; focus?: boolean }) {
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

/** A status in words, coloured by its code. */
export function StatusBadge({ status, names }: { status: string; names: Readonly<Record<string, Names>> }) {
  const name = useName()
  return <span class={`badge badge-${status}`}>{name(names, status)}</span>
}

export function Empty({ children }: { children?: ComponentChildren }) {
  const t = useT()
  return <p class="muted">{children ?? t('nothing')}</p>
}

/** An instant in Beijing time; the zone is named by the column or label it stands under, and in its title. */
export function When({ at }: { at: string | null | undefined }) {
  const t = useT()
  const instant = at == null ? undefined : instantOf(at)
  if (instant === undefined) return <>—</>
  return (
    <time dateTime={instant.toISOString()} title={t('beijingTime')}>
      {beijingTime(at)}
    </time>
  )
}
