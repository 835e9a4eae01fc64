/**
 * A secret the server shows once (a new API key, a platform token): selectable text to copy and
 * hand over, labelled with the holder it was issued to (not with whatever the form says now), and
 * a button that takes it off the screen. Only its digest or signature stays on the server.
 */
import { useEffect, useRef } from 'preact/hooks'
import { useT } from '../i18n.ts'

export type Issued = { readonly secret: string; readonly holder: string }

export function ShownOnce({ issued, onDismiss }: { issued: Issued; onDismiss: () => void }) {
  const t = useT()
  const field = useRef<HTMLTextAreaElement>(null)
  // focus lands on the secret, selected for copying; the announcement does not read it out
  useEffect(() => {
    field.current?.focus()
    field.current?.select()
  }, [issued])
  return (
    <div class="note warn">
      <label>
        {issued.holder} · {t('shownOnce')}
        <textarea ref={field} readOnly rows={3} value={issued.secret} onFocus={(e) => e.currentTarget.select()} data-testid="shown-once" />
      </label>
      <button type="button" class="secondary" onClick={onDismiss}>
        {t('handedOver')}
      </button>
    </div>
  )
}

/** The live region that says a secret was issued, without the secret. */
export function IssuedAnnouncement({ issued }: { issued: Issued | undefined }) {
  const t = useT()
  return (
    <p class="visually-hidden" role="status">
      {issued === undefined ? '' : `${t('issuedFor')} ${issued.holder}`}
    </p>
  )
}
