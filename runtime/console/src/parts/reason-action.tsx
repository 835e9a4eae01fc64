/**
 * An action that needs a reason (deny, reject, suspend, revoke): the button opens a small form
 * in place, the reason is required, and the outcome or refusal is announced.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { useT } from '../i18n.ts'
import { ErrorNote } from './feedback.tsx'

/**
 * `subject` names what the action is about (a partner, a consumer) where a page lists several;
 * `minLength` is the fewest characters the reason may have (an override wants a reason one can
 * stand behind); `testId` marks the opening button.
 */
export function ReasonAction({
  label,
  subject,
  warning,
  danger = false,
  minLength = 1,
  testId,
  onConfirm,
}: {
  label: string
  subject?: string
  warning?: string
  danger?: boolean
  minLength?: number
  testId?: string
  onConfirm: (reason: string) => Promise<void>
}) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const field = useRef<HTMLTextAreaElement>(null)
  const trigger = useRef<HTMLButtonElement>(null)
  const refocus = useRef(false)
  // into the reason when the form opens; back to the button when it is cancelled (after a change
  // the page announces the outcome and takes the focus: the button may be gone)
  useEffect(() => {
    if (open) field.current?.focus()
    else if (refocus.current) trigger.current?.focus()
    refocus.current = false
  }, [open])
  const close = (cancelled: boolean) => {
    refocus.current = cancelled
    setOpen(false)
    setReason('')
    setError(undefined)
  }
  const errorId = useId()
  const named = subject === undefined ? label : `${label} ${subject}`
  if (!open) {
    return (
      <button type="button" ref={trigger} class={danger ? 'danger' : 'secondary'} aria-label={subject === undefined ? undefined : named} data-testid={testId} onClick={() => setOpen(true)}>
        {label}
      </button>
    )
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    if (reason.trim() === '') {
      setError(new Error(t('reasonRequired')))
      return
    }
    if (reason.trim().length < minLength) {
      setError(new Error(t('reasonTooShort').replace('{n}', String(minLength))))
      return
    }
    setBusy(true)
    try {
      await onConfirm(reason.trim())
      close(false)
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="reason-form" onSubmit={submit} aria-label={named}>
      {warning === undefined ? null : <p class="note warn">{warning}</p>}
      <label>
        {t('reason')}
        <textarea aria-required="true" aria-invalid={error === undefined ? undefined : 'true'} aria-describedby={error === undefined ? undefined : errorId} rows={2} value={reason} onInput={(e) => {
            setReason(e.currentTarget.value)
            // what was wrong is said again on the next try, not left beside the corrected text
            setError(undefined)
          }} ref={field} />
      </label>
      <div class="row">
        <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>
          {t('confirm')} · {label}
        </button>
        <button type="button" class="secondary" onClick={() => close(true)}>
          {t('cancel')}
        </button>
      </div>
      <div id={errorId}>
        <ErrorNote error={error} />
      </div>
    </form>
  )
}
