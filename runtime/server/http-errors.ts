/**
 * What the front door answers for failures that are not the runtime's own errors: fastify's
 * (validation, content type, body size, bad URLs), the HTTP parser's (huge headers, malformed
 * requests) and the console's file server's (forbidden paths, preconditions, ranges). Each gets a
 * catalogue code and its status; nothing of the request is echoed. Validation failures say what
 * is wrong where, as JSON pointers into the body and ajv's fixed rule texts, never the values.
 */
import type { Socket } from 'node:net'
import { clientDetailsOf, fixedMessageOf, RuntimeError, type ClientDetail, type RuntimeErrorCode } from '../errors.ts'

const BY_STATUS: Readonly<Record<number, RuntimeErrorCode>> = {
  400: 'ERR_PARAMS_INVALID',
  401: 'ERR_AUTH_REQUIRED',
  403: 'ERR_FORBIDDEN',
  404: 'ERR_NOT_FOUND',
  405: 'ERR_METHOD_NOT_ALLOWED',
  406: 'ERR_PARAMS_INVALID',
  408: 'ERR_REQUEST_TIMEOUT',
  409: 'ERR_CONFLICT',
  412: 'ERR_PRECONDITION_FAILED',
  413: 'ERR_PAYLOAD_TOO_LARGE',
  414: 'ERR_URL_TOO_LONG',
  415: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  416: 'ERR_RANGE_NOT_SATISFIABLE',
  429: 'ERR_RATE_LIMITED',
  431: 'ERR_HEADERS_TOO_LARGE',
}

export type Problem = { readonly path: string; readonly problem: string }

/** What a refusal says when only its status is known. */
const UNSERVABLE = 'The request cannot be served as sent'

/** The catalogue error for a failure fastify or a plugin raised; undefined for a genuine internal failure. */
export function frontDoorError(error: unknown): RuntimeError | undefined {
  const e = error as { validation?: readonly { instancePath?: string; message?: string }[]; validationContext?: string; statusCode?: number; status?: number; code?: string }
  if (Array.isArray(e.validation)) {
    const where = e.validationContext === 'querystring' ? 'query' : e.validationContext === 'params' ? 'path' : 'body'
    const problems = e.validation.slice(0, 20).map((v) => ({ path: `${where}:${v.instancePath === undefined || v.instancePath === '' ? '/' : v.instancePath}`, problem: v.message ?? 'invalid' }))
    return new RuntimeError('ERR_PARAMS_INVALID', 'The request does not match the operation\'s schema', { details: { problems } })
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new RuntimeError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Send JSON (content-type: application/json)')
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return new RuntimeError('ERR_PARAMS_INVALID', 'The body is not valid JSON')
  const status = e.statusCode ?? e.status
  if (typeof status === 'number' && status >= 400 && status < 500) return new RuntimeError(BY_STATUS[status] ?? 'ERR_PARAMS_INVALID', UNSERVABLE)
  return undefined
}

/** An error's answer body: its code, the request id, its fixed message and what else the catalogue lets a client see of it. */
export function clientBody(error: RuntimeError, requestId: string, bodyFields: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const body: Record<string, unknown> = { code: error.code, requestId, message: fixedMessageOf(error.code) ?? error.message }
  for (const detail of clientDetailsOf(error.code)) {
    const value = clientDetail(detail, error.details)
    if (value !== undefined) body[detail] = detail === 'problems' ? (value as Problem[]).map((p) => inBody(p, bodyFields)) : value
  }
  return body
}

/**
 * A problem a rule named by field (rules that serve the command line too: `expiresOn`,
 * `release.privacy.epsilon`), pointed into the request body when the operation's body has that
 * field: `body:/expiresOn`, `body:/release/privacy/epsilon`. Other paths stay as they are.
 */
function inBody(problem: Problem, bodyFields: ReadonlySet<string>): Problem {
  const { path } = problem
  if (path.includes(':') || !bodyFields.has(path.split('.')[0]!)) return problem
  return { path: `body:/${path.split('.').join('/')}`, problem: problem.problem }
}

/** The top-level fields of an operation's body schema, for `clientBody`. */
export function bodyFieldsOf(schema: unknown): ReadonlySet<string> {
  const properties = (schema as { body?: { properties?: Record<string, unknown> } } | undefined)?.body?.properties
  return new Set(properties === undefined ? [] : Object.keys(properties))
}

/** A detail as a client may see it: problems and reasons in their fixed shapes, names, limits; nothing else. */
function clientDetail(detail: ClientDetail, details: Readonly<Record<string, unknown>> | undefined): unknown {
  if (details === undefined) return undefined
  switch (detail) {
    case 'problems': {
      // a runtime check's problems (a compiler's name the partner's own file and line); a manifest's issues
      const listed = details.problems ?? details.issues
      return Array.isArray(listed) ? problemsOf(listed) : undefined
    }
    case 'reasons':
      return reasonCodes(details.reasons)
    default: {
      const value = details[detail]
      if (typeof value === 'number' && Number.isFinite(value)) return value
      // catalog names, codes and rule texts: short, printable, no markup
      if (typeof value === 'string' && value.length <= 200 && /^[\p{L}\p{N} _.,:;'()\/-]*$/u.test(value)) return value
      return undefined
    }
  }
}

/** The codes of a refusal's reasons, whatever shape they were recorded in; never null. */
function reasonCodes(reasons: unknown): string[] {
  if (!Array.isArray(reasons)) return []
  return reasons.map((r) => (typeof r === 'string' ? r : typeof (r as { code?: unknown })?.code === 'string' ? (r as { code: string }).code : 'UNKNOWN'))
}

/** The HTTP parser's own refusals (before fastify sees a request), answered with a catalogue code. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return
  const code: RuntimeErrorCode = error.code === 'HPE_HEADER_OVERFLOW' ? 'ERR_HEADERS_TOO_LARGE' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'ERR_REQUEST_TIMEOUT' : 'ERR_PARAMS_INVALID'
  const failure = new RuntimeError(code, UNSERVABLE)
  const body = JSON.stringify({ code, message: fixedMessageOf(code) ?? UNSERVABLE })
  socket.end(`HTTP/1.1 ${failure.status} ${STATUS_TEXT[failure.status] ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }

/** JSON nested deeper than this is refused at the door: nothing downstream should recurse on a partner's or caller's depth. */
export const MAX_JSON_DEPTH = 64

/** The depth of a parsed JSON value, without recursion. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    deepest = Math.max(deepest, depth)
    if (deepest > limit) return deepest
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return deepest
}

/**
 * Problems as clients see them: `{ path, problem }`, the path a JSON pointer (prefixed with where:
 * `body:`, `query:`, `input:`) or a field name. The runtime's checks write `path: problem` texts.
 */
export function problemsOf(list: readonly unknown[]): Problem[] {
  return list.slice(0, 20).map((p) => {
    if (typeof p === 'object' && p !== null && 'path' in p && 'problem' in p) return { path: String(p.path).slice(0, 200), problem: String(p.problem).slice(0, 300) }
    const text = String(p)
    const at = text.indexOf(': ')
    return at < 0 ? { path: '', problem: text } : { path: text.slice(0, at), problem: text.slice(at + 2) }
  })
}
