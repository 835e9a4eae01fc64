/**
 * A secret the server shows once (a new API key, a platform token): selectable text to copy and
 * hand over, with the warning that it cannot be shown again. Only its digest or signature stays.
 */
import { useT } from '../i18n.ts'

export function ShownOnce({ label, secret }: { label: string; secret: string }) {
  const t = useT()
  return (
    <div class="note warn" role="status">
      <label>
        {label} · {t('shownOnce')}
        <textarea readOnly rows={3} value={secret} onFocus={(e) => e.currentTarget.select()} data-testid="shown-once" />
      </label>
    </div>
  )
}
