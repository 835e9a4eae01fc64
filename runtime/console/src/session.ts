/**
 * Who is signed in: a platform token (partner, operator, auditor) or a consumer's API key, kept
 * in this tab's session storage only. The role read from the token's payload only chooses which
 * screens to show; the server checks every call.
 */

export type Role = 'operator' | 'auditor' | 'partner' | 'consumer'

export type Session = { readonly credential: string; readonly role: Role; readonly subject: string; readonly expiresAt: number | null }

const KEY = 'indomain.console.credential'

/** Reads a credential's role and subject; undefined when it is neither a platform token nor an API key. */
export function sessionOf(credential: string): Session | undefined {
  const trimmed = credential.trim()
  const parts = trimmed.split('.')
  if (parts.length === 3) {
    try {
      const base64 = parts[1]!.replace(/-/g, '+').replace(/_/g, '/')
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const payload = JSON.parse(new TextDecoder().decode(bytes)) as { role?: unknown; sub?: unknown; exp?: unknown }
      if ((payload.role === 'operator' || payload.role === 'auditor' || payload.role === 'partner') && typeof payload.sub === 'string') {
        return { credential: trimmed, role: payload.role, subject: payload.sub, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null }
      }
    } catch {
      return undefined
    }
    return undefined
  }
  // consumer API keys are opaque: the server names the consumer
  if (/^[A-Za-z0-9_.-]{16,200}$/.test(trimmed)) return { credential: trimmed, role: 'consumer', subject: '', expiresAt: null }
  return undefined
}

export function savedSession(): Session | undefined {
  const stored = sessionStorage.getItem(KEY)
  const parsed = stored === null ? undefined : sessionOf(stored)
  // a consumer's name comes from the server at sign-in, and is kept with the key
  const session = parsed?.role === 'consumer' ? { ...parsed, subject: sessionStorage.getItem(`${KEY}.subject`) ?? '' } : parsed
  if (session?.expiresAt != null && session.expiresAt < Date.now()) {
    sessionStorage.removeItem(KEY)
    return undefined
  }
  return session
}

export function saveSession(session: Session | undefined): void {
  if (session === undefined) {
    sessionStorage.removeItem(KEY)
    sessionStorage.removeItem(`${KEY}.subject`)
  } else {
    sessionStorage.setItem(KEY, session.credential)
    sessionStorage.setItem(`${KEY}.subject`, session.subject)
  }
}
