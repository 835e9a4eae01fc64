/**
 * Signing in with one's own credential. The credential is tried against a screen of its role
 * before it is kept, so that a mistyped or revoked one is refused here, in words.
 */
import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { useT } from '../i18n.ts'
import { ErrorNote, FormProblems } from '../parts/feedback.tsx'
import { sessionOf, type Session } from '../session.ts'

const PROBE: Record<Session['role'], string> = {
  operator: '/v1/operator/partners',
  auditor: '/v1/audit/entries?limit=1',
  partner: '/v1/partner',
  consumer: '/v1/usage',
}

export function SignInPage({ onSignIn }: { onSignIn: (session: Session) => void }) {
  const t = useT()
  const [credential, setCredential] = useState('')
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    if (credential.trim() === '') {
      setError(new FormProblems([{ field: t('credential'), problem: t('isRequired') }]))
      return
    }
    const session = sessionOf(credential)
    if (session === undefined) {
      setError(new Error(t('credentialInvalid')))
      return
    }
    setBusy(true)
    try {
      const answer = await api<{ consumer?: string }>(PROBE[session.role], { credential: session.credential })
      onSignIn(session.role === 'consumer' && typeof answer.consumer === 'string' ? { ...session, subject: answer.consumer } : session)
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>{t('signIn')}</h1>
      <form onSubmit={submit} noValidate>
        <label>
          {t('credential')}
          <textarea name="credential" rows={4} aria-required="true" autocomplete="off" spellcheck={false} value={credential} onInput={(e) => setCredential(e.currentTarget.value)} />
        </label>
        <p class="muted small">
          {t('credentialHelpTokens')} <code>npx indomain token issue</code>
          {t('credentialHelpKeys')}
        </p>
        <button type="submit" class="primary" disabled={busy}>
          {t('signIn')}
        </button>
        <ErrorNote error={error} />
      </form>
    </section>
  )
}
