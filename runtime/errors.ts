/**
 * The one catalogue of errors that cross a boundary (CLI exit, HTTP answer, audit entry).
 *
 * Each code has a fixed HTTP status and a blame. Messages are fixed text: they never
 * interpolate data values, tokens or partner-supplied strings (an error message is an
 * output channel). Details that are safe to show to the operator (table and field names
 * from the catalog, row numbers) travel in `details`, never data values.
 */
export type Blame = 'caller' | 'partner' | 'runtime'

/**
 * What of an error a client may see besides its code: its fixed `message`, and the named details.
 * `problems` are `{ path, problem }` (what is wrong where, never a value), `reasons` the codes of a
 * release refusal, `productCode` the code a product threw with; the other names are catalog
 * names, rule texts or the limit that was hit. Everything else stays in the audit trail and logs:
 * a consumer learns no more from a failure than its code says, and nothing the caller sent is
 * echoed.
 */
export type ClientDetail = 'message' | 'problems' | 'reasons' | 'productCode' | 'table' | 'field' | 'reason' | 'capFen' | 'maxDays' | 'quota' | 'budget'

const CATALOGUE = {
  ERR_CONFIG_INVALID: { status: 500, blame: 'runtime' },
  ERR_CATALOG_INVALID: { status: 500, blame: 'runtime' },
  ERR_CATALOG_TABLE_UNKNOWN: { status: 404, blame: 'caller', shows: ['message'] },
  ERR_STORE_MISSING: { status: 503, blame: 'runtime' },
  ERR_STORE_LOCKED_DOWN: { status: 403, blame: 'caller', shows: ['message'] },
  ERR_STORE_BUILD_FAILED: { status: 500, blame: 'runtime' },
  ERR_STORE_SCHEMA_MISMATCH: { status: 500, blame: 'runtime' },
  ERR_STATE_UNAVAILABLE: { status: 503, blame: 'runtime' },
  ERR_STATE_SCHEMA: { status: 500, blame: 'runtime' },
  ERR_AUDIT_INTEGRITY: { status: 503, blame: 'runtime' },
  ERR_IMPORT_UNREADABLE: { status: 400, blame: 'caller', shows: ['message'] },
  ERR_IMPORT_INVALID: { status: 422, blame: 'caller', shows: ['message', 'problems'] },
  ERR_PARAMS_INVALID: { status: 400, blame: 'caller', shows: ['message', 'problems', 'capFen', 'maxDays'] },
  ERR_METHOD_NOT_ALLOWED: { status: 405, blame: 'caller' },
  ERR_REQUEST_TIMEOUT: { status: 408, blame: 'caller' },
  ERR_PRECONDITION_FAILED: { status: 412, blame: 'caller' },
  ERR_PAYLOAD_TOO_LARGE: { status: 413, blame: 'caller', shows: ['message'] },
  ERR_URL_TOO_LONG: { status: 414, blame: 'caller' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, blame: 'caller' },
  ERR_RANGE_NOT_SATISFIABLE: { status: 416, blame: 'caller' },
  ERR_HEADERS_TOO_LARGE: { status: 431, blame: 'caller' },
  ERR_ENTITY_NOT_FOUND: { status: 404, blame: 'caller' },
  ERR_PRODUCT_NOT_FOUND: { status: 404, blame: 'caller', shows: ['message'] },
  ERR_PRODUCT_INVALID: { status: 422, blame: 'partner', shows: ['message', 'problems'] },
  ERR_BUNDLE_FAILED: { status: 422, blame: 'partner', shows: ['message', 'problems'] },
  ERR_BUNDLE_FORBIDDEN_IMPORT: { status: 422, blame: 'partner', shows: ['message', 'problems'] },
  ERR_SCENARIO_FIELD_UNKNOWN: { status: 422, blame: 'partner', shows: ['message', 'table', 'field'] },
  ERR_SANDBOX_TIMEOUT: { status: 422, blame: 'partner' },
  ERR_SANDBOX_MEMORY: { status: 422, blame: 'partner' },
  ERR_SANDBOX_THREW: { status: 422, blame: 'partner', shows: ['productCode'] },
  ERR_SANDBOX_OUTPUT_TOO_LARGE: { status: 422, blame: 'partner' },
  ERR_SANDBOX_INVALID_OUTPUT: { status: 422, blame: 'partner' },
  ERR_SANDBOX_CRASHED: { status: 503, blame: 'runtime' },
  ERR_RELEASE_REFUSED: { status: 422, blame: 'partner', shows: ['reasons'] },
  ERR_SCENARIO_NOT_FOUND: { status: 404, blame: 'caller', shows: ['message'] },
  ERR_SCENARIO_INVALID: { status: 400, blame: 'caller', shows: ['message', 'problems'] },
  ERR_PRODUCT_CANNOT_SERVE: { status: 503, blame: 'partner', shows: ['message', 'problems'] },
  ERR_REVIEW_CHECKS_FAILED: { status: 409, blame: 'caller', shows: ['message', 'problems'] },
  ERR_SCENARIO_NOT_APPROVED: { status: 403, blame: 'partner', shows: ['message'] },
  ERR_SCENARIO_EXPIRED: { status: 403, blame: 'partner', shows: ['message'] },
  ERR_SCENARIO_REVOKED: { status: 403, blame: 'partner', shows: ['message'] },
  ERR_VIEW_COLUMN_DENIED: { status: 403, blame: 'partner', shows: ['message', 'table', 'field'] },
  ERR_SQL_REJECTED: { status: 422, blame: 'partner', shows: ['message', 'reason'] },
  ERR_SIGNING_FAILED: { status: 500, blame: 'runtime' },
  ERR_AUTH_REQUIRED: { status: 401, blame: 'caller' },
  ERR_FORBIDDEN: { status: 403, blame: 'caller', shows: ['message'] },
  ERR_NOT_FOUND: { status: 404, blame: 'caller', shows: ['message'] },
  ERR_CONFLICT: { status: 409, blame: 'caller', shows: ['message'] },
  ERR_QUOTA_EXCEEDED: { status: 429, blame: 'caller', shows: ['message', 'quota'] },
  ERR_RATE_LIMITED: { status: 429, blame: 'caller' },
  ERR_CONSENT_REQUIRED: { status: 403, blame: 'caller' },
  ERR_RELEASE_INVALID: { status: 400, blame: 'caller', shows: ['message'] },
  ERR_SHUTTING_DOWN: { status: 503, blame: 'runtime' },
  ERR_NOT_READY: { status: 503, blame: 'runtime' },
  ERR_CONSOLE_NOT_BUILT: { status: 503, blame: 'runtime' },
  ERR_HE_KEY: { status: 500, blame: 'runtime' },
  ERR_HE_BOUND_EXCEEDED: { status: 422, blame: 'caller', shows: ['message'] },
  ERR_HE_UNAVAILABLE: { status: 404, blame: 'caller', shows: ['message'] },
  ERR_DECRYPTION_REFUSED: { status: 403, blame: 'caller' },
  ERR_PRIVACY_BUDGET_EXHAUSTED: { status: 429, blame: 'caller', shows: ['message', 'budget'] },
  ERR_INTERNAL: { status: 500, blame: 'runtime' },
} as const satisfies Record<string, { status: number; blame: Blame; shows?: readonly ClientDetail[] }>

export type RuntimeErrorCode = keyof typeof CATALOGUE

/** What a client may see of an error with this code besides the code (see `ClientDetail`). */
export function clientDetailsOf(code: RuntimeErrorCode): readonly ClientDetail[] {
  const entry = CATALOGUE[code]
  return 'shows' in entry ? entry.shows : []
}

/** Every code, for the docs sync test and for exhaustive switches. */
export const RUNTIME_ERROR_CODES = Object.freeze(Object.keys(CATALOGUE) as RuntimeErrorCode[])

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode
  readonly status: number
  readonly blame: Blame
  /** Operator-safe context: catalog names, counts, positions. Never data values. */
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(
    code: RuntimeErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RuntimeError'
    this.code = code
    this.status = CATALOGUE[code].status
    this.blame = CATALOGUE[code].blame
    this.details = options?.details === undefined ? undefined : Object.freeze({ ...options.details })
  }

  /** The outbound shape: code, fixed message and operator-safe details only. */
  toJSON(): { code: RuntimeErrorCode; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/**
 * A malformed parameter: `ERR_PARAMS_INVALID` with the problem at its path (a JSON pointer into the
 * request such as `body:/reason`, or the field's name where the rule serves the command line too),
 * never the value that broke it.
 */
export function paramsInvalid(message: string, path: string, details?: Record<string, unknown>): RuntimeError {
  return new RuntimeError('ERR_PARAMS_INVALID', message, { details: { ...details, problems: [{ path, problem: message }] } })
}

export function isRuntimeError(value: unknown): value is RuntimeError {
  return value instanceof RuntimeError
}
