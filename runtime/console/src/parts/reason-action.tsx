/**
 * An action that needs a reason (deny, reject, suspend, revoke): the button opens a small form
 * in place, the reason is required, and the outcome or refusal is announced.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { useT } from '../i18n.ts'
import { ErrorNote } from './feedback.tsx'

export function ReasonAction({ label, warning, danger = false, onConfirm }: { label: string; warning?: string; danger?: boolean; onConfirm: (reason: string) => Promise<void> }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const field = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (open) field.current?.focus()
  }, [open])
  if (!open) {
    return (
      <button type="button" class={danger ? 'danger' : 'secondary'} onClick={() => setOpen(true)}>
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
    setBusy(true)
    try {
      await onConfirm(reason.trim())
      setOpen(false)
      setReason('')
      setError(undefined)
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="reason-form" onSubmit={submit} aria-label={label}>
      {warning === undefined ? null : <p class="note warn">{warning}</p>}
      <label>
        {t('reason')}
        <textarea aria-required="true" rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} ref={field} />
      </label>
      <div class="row">
        <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>
          {t('confirm')} · {label}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  )
}
