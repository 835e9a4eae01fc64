/**
 * A secret the server shows once (a new API key, a platform token): selectable text to copy and
 * hand over, labelled with the holder it was issued to (not with whatever the form says now), and
 * a button that takes it off the screen. Only its digest or signature stays on the server.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
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

/**
 * Issuing secrets one at a time: while one is on screen, or its request is on its way, no other is
 * requested (a second request would replace the one nobody copied yet). `issue` returns whether a
 * secret was issued, so that the form can clear itself.
 */
export function useIssueOnce() {
  const [issued, setIssued] = useState<Issued | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const blocked = busy || issued !== undefined
  const issue = async (request: () => Promise<Issued>): Promise<boolean> => {
    if (blocked) return false
    setBusy(true)
    try {
      setIssued(await request())
      setError(undefined)
      return true
    } catch (e) {
      setError(e)
      return false
    } finally {
      setBusy(false)
    }
  }
  return { issued, error, blocked, issue, dismiss: () => setIssued(undefined) }
}
