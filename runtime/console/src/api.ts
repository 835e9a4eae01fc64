/**
 * Calls to the indomain API from the console: same origin, the signed-in credential as a bearer,
 * JSON in and out. A refusal becomes an `ApiError` with the server's stable code and request id,
 * which the pages show as they are (the server never sends more than that).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly requestId: string | undefined,
    readonly reasons: readonly string[] = [],
    /** What is wrong with a scenario request or decision (catalog names and rules). */
    readonly problems: readonly string[] = [],
  ) {
    super(`${code}${requestId === undefined ? '' : ` (${requestId})`}`)
    this.name = 'ApiError'
  }
}

/** Sent on the window when the server refuses the signed-in credential. */
export const CREDENTIAL_REFUSED = 'indomain:credential-refused'

export type Call = { readonly method?: 'GET' | 'POST' | 'PUT'; readonly body?: unknown; readonly credential?: string | null }

export async function api<T>(path: string, { method = 'GET', body, credential = null }: Call = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (credential !== null) headers.authorization = `Bearer ${credential}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await response.text()
  let payload: unknown = undefined
  try {
    payload = text === '' ? undefined : JSON.parse(text)
  } catch {
    throw new ApiError(response.status, 'ERR_NOT_JSON', undefined)
  }
  if (!response.ok) {
    const p = (payload ?? {}) as { code?: string; requestId?: string; reasons?: string[]; problems?: { path: string; problem: string }[] }
    // a credential that stopped working (expired, suspended, revoked) ends the session
    if (response.status === 401 && credential !== null) dispatchEvent(new CustomEvent(CREDENTIAL_REFUSED))
    throw new ApiError(response.status, p.code ?? `HTTP_${response.status}`, p.requestId, p.reasons ?? [], (p.problems ?? []).map((x) => (x.path === '' ? x.problem : `${x.path}: ${x.problem}`)))
  }
  return payload as T
}

/** A query string from the defined, non-empty members. */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}
