/**
 * Calls to the indomain API from the console: same origin, the signed-in credential as a bearer,
 * JSON in and out. A refusal becomes an `ApiError` with the server's stable code, the request id,
 * the problems (where, what) and a refusal's reason codes, which the pages show in words.
 */

export type Problem = { readonly path: string; readonly problem: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly requestId: string | undefined,
    readonly reasons: readonly string[] = [],
    /** What is wrong where (a JSON pointer into the request, a check, a catalog name), never a value. */
    readonly problems: readonly Problem[] = [],
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
    throw new ApiError(response.status, 'ERR_INTERNAL', undefined)
  }
  if (!response.ok) {
    const p = (payload ?? {}) as { code?: unknown; requestId?: unknown; reasons?: unknown; problems?: unknown }
    // a credential that stopped working (expired, suspended, revoked) ends the session
    if (response.status === 401 && credential !== null) dispatchEvent(new CustomEvent(CREDENTIAL_REFUSED))
    const problems = Array.isArray(p.problems) ? p.problems.filter((x): x is Problem => typeof x?.path === 'string' && typeof x?.problem === 'string') : []
    const reasons = Array.isArray(p.reasons) ? p.reasons.filter((r): r is string => typeof r === 'string') : []
    throw new ApiError(response.status, typeof p.code === 'string' ? p.code : 'ERR_INTERNAL', typeof p.requestId === 'string' ? p.requestId : undefined, reasons, problems)
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
