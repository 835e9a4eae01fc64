/**
 * The two answers of a review (a product version, a release): approve at once, or reject with a
 * reason. `review` returns what to announce; a refusal from the server is shown under the buttons.
 */
import { useState } from 'preact/hooks'
import { Done, ErrorNote } from './feedback.tsx'
import { ReasonAction } from './reason-action.tsx'

export type Review = (decision: 'approve' | 'reject', reason?: string) => Promise<string>

export function ReviewActions({ open, approveLabel, rejectLabel, review }: { open: boolean; approveLabel: string; rejectLabel: string; review: Review }) {
  const [error, setError] = useState<unknown>(undefined)
  const [outcome, setOutcome] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const answer = async (decision: 'approve' | 'reject', reason?: string) => {
    setError(undefined)
    setBusy(true)
    try {
      setOutcome(await review(decision, reason))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      {open ? (
        <div class="row actions">
          <button type="button" class="primary" disabled={busy} onClick={() => answer('approve').catch(setError)}>
            {approveLabel}
          </button>
          <ReasonAction label={rejectLabel} danger onConfirm={(reason) => answer('reject', reason)} />
        </div>
      ) : null}
      {outcome === undefined ? null : <Done focus>{outcome}</Done>}
      <ErrorNote error={error} />
    </>
  )
}
