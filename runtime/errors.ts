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
 * What of an error a client sees: always its code and one fixed `message`, and besides them the
 * named details its entry `shows`. `problems` are `{ path, problem }` (what is wrong where, never a
 * value), `reasons` the codes of a release refusal, `productCode` the code a product threw with;
 * the other names are catalog names, rule texts or the limit that was hit. Everything else stays
 * in the audit trail and logs: a consumer learns no more from a failure than its code says, and
 * nothing the caller sent is echoed.
 *
 * The message is the one thrown (fixed text at every throw site), except for the codes whose entry
 * `says` a text of its own: the client reads that text whichever throw site failed. Those are the
 * codes whose throw sites' texts may tell apart what a consumer must not learn (an entity absent
 * or filtered out, which of a product's failures, why credentials or a consent failed) or describe
 * the runtime's insides (keys, files, the state), and the front door's refusals.
 */
export type ClientDetail = 'problems' | 'reasons' | 'productCode' | 'table' | 'field' | 'reason' | 'capFen' | 'maxDays' | 'quota' | 'budget'

const CATALOGUE = {
  ERR_CONFIG_INVALID: { status: 500, blame: 'runtime', says: 'The runtime\'s configuration is invalid' },
  ERR_CATALOG_INVALID: { status: 500, blame: 'runtime', says: 'The catalog is invalid' },
  ERR_CATALOG_TABLE_UNKNOWN: { status: 404, blame: 'caller' },
  ERR_STORE_MISSING: { status: 503, blame: 'runtime', says: 'The data store is not available' },
  ERR_STORE_LOCKED_DOWN: { status: 403, blame: 'caller' },
  ERR_STORE_BUILD_FAILED: { status: 500, blame: 'runtime', says: 'The data store could not be built' },
  ERR_STORE_SCHEMA_MISMATCH: { status: 500, blame: 'runtime', says: 'The data store does not match the catalog' },
  ERR_STATE_UNAVAILABLE: { status: 503, blame: 'runtime', says: 'The governance state is not available; retry later' },
  ERR_STATE_SCHEMA: { status: 500, blame: 'runtime', says: 'The governance state cannot be used by this version of the runtime' },
  ERR_AUDIT_INTEGRITY: { status: 503, blame: 'runtime', says: 'The audit trail awaits an operator\'s repair: nothing that must be audited happens until then' },
  ERR_IMPORT_UNREADABLE: { status: 400, blame: 'caller' },
  ERR_IMPORT_INVALID: { status: 422, blame: 'caller', shows: ['problems'] },
  ERR_PARAMS_INVALID: { status: 400, blame: 'caller', shows: ['problems', 'capFen', 'maxDays'] },
  ERR_METHOD_NOT_ALLOWED: { status: 405, blame: 'caller', says: 'The path does not take this method' },
  ERR_REQUEST_TIMEOUT: { status: 408, blame: 'caller', says: 'The request did not arrive whole in time' },
  ERR_PRECONDITION_FAILED: { status: 412, blame: 'caller', says: 'A precondition header does not hold' },
  ERR_PAYLOAD_TOO_LARGE: { status: 413, blame: 'caller' },
  ERR_URL_TOO_LONG: { status: 414, blame: 'caller', says: 'The URL is too long' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, blame: 'caller', says: 'Send JSON (content-type: application/json)' },
  ERR_RANGE_NOT_SATISFIABLE: { status: 416, blame: 'caller', says: 'The range asks for bytes the file does not have' },
  ERR_HEADERS_TOO_LARGE: { status: 431, blame: 'caller', says: 'The request\'s headers are too large' },
  ERR_ENTITY_NOT_FOUND: { status: 404, blame: 'caller', says: 'No record of this entity in the product\'s scenario' },
  ERR_PRODUCT_NOT_FOUND: { status: 404, blame: 'caller' },
  ERR_PRODUCT_INVALID: { status: 422, blame: 'partner', shows: ['problems'] },
  ERR_BUNDLE_FAILED: { status: 422, blame: 'partner', shows: ['problems'] },
  ERR_BUNDLE_FORBIDDEN_IMPORT: { status: 422, blame: 'partner', shows: ['problems'] },
  ERR_SCENARIO_FIELD_UNKNOWN: { status: 422, blame: 'partner', shows: ['table', 'field'] },
  ERR_SANDBOX_TIMEOUT: { status: 422, blame: 'partner', says: 'The product exceeded its time limit' },
  ERR_SANDBOX_MEMORY: { status: 422, blame: 'partner', says: 'The product exceeded its memory limit' },
  ERR_SANDBOX_THREW: { status: 422, blame: 'partner', says: 'The product failed', shows: ['productCode'] },
  ERR_SANDBOX_OUTPUT_TOO_LARGE: { status: 422, blame: 'partner', says: 'The product\'s output is too large' },
  ERR_SANDBOX_INVALID_OUTPUT: { status: 422, blame: 'partner', says: 'The product\'s output is not valid' },
  ERR_SANDBOX_CRASHED: { status: 503, blame: 'runtime', says: 'The sandbox failed; the call may be retried' },
  ERR_RELEASE_REFUSED: { status: 422, blame: 'partner', says: 'The output failed the release checks', shows: ['reasons'] },
  ERR_SCENARIO_NOT_FOUND: { status: 404, blame: 'caller' },
  ERR_SCENARIO_INVALID: { status: 400, blame: 'caller', shows: ['problems'] },
  ERR_PRODUCT_CANNOT_SERVE: { status: 503, blame: 'partner', shows: ['problems'] },
  ERR_REVIEW_CHECKS_FAILED: { status: 409, blame: 'caller', shows: ['problems'] },
  ERR_SCENARIO_NOT_APPROVED: { status: 403, blame: 'partner' },
  ERR_SCENARIO_EXPIRED: { status: 403, blame: 'partner' },
  ERR_SCENARIO_REVOKED: { status: 403, blame: 'partner' },
  ERR_VIEW_COLUMN_DENIED: { status: 403, blame: 'partner', shows: ['table', 'field'] },
  ERR_SQL_REJECTED: { status: 422, blame: 'partner', shows: ['reason'] },
  ERR_SIGNING_FAILED: { status: 500, blame: 'runtime', says: 'The release could not be signed' },
  ERR_AUTH_REQUIRED: { status: 401, blame: 'caller', says: 'Valid credentials are required' },
  ERR_FORBIDDEN: { status: 403, blame: 'caller' },
  ERR_NOT_FOUND: { status: 404, blame: 'caller' },
  ERR_CONFLICT: { status: 409, blame: 'caller', shows: ['problems'] },
  ERR_QUOTA_EXCEEDED: { status: 429, blame: 'caller', shows: ['quota'] },
  ERR_RATE_LIMITED: { status: 429, blame: 'caller', says: 'Too many calls: retry after the retry-after header\'s seconds' },
  ERR_CONSENT_REQUIRED: { status: 403, blame: 'caller', says: 'A valid consent of the data subject is required' },
  ERR_RELEASE_INVALID: { status: 400, blame: 'caller' },
  ERR_SHUTTING_DOWN: { status: 503, blame: 'runtime', says: 'The server is shutting down: retry against another instance or after the restart' },
  ERR_NOT_READY: { status: 503, blame: 'runtime', says: 'The server is warming up: GET /v1/ready answers 200 once it is ready' },
  ERR_CONSOLE_NOT_BUILT: { status: 503, blame: 'runtime', says: 'The console is not built; the API is unaffected' },
  ERR_HE_KEY: { status: 500, blame: 'runtime', says: 'A homomorphic key is missing or unusable' },
  ERR_HE_BOUND_EXCEEDED: { status: 422, blame: 'caller' },
  ERR_HE_UNAVAILABLE: { status: 404, blame: 'caller' },
  ERR_DECRYPTION_REFUSED: { status: 403, blame: 'caller', says: 'The decryption is refused' },
  ERR_PRIVACY_BUDGET_EXHAUSTED: { status: 429, blame: 'caller', shows: ['budget'] },
  ERR_INTERNAL: { status: 500, blame: 'runtime', says: 'An unexpected failure; the operator\'s log has the details' },
} as const satisfies Record<string, { status: number; blame: Blame; says?: string; shows?: readonly ClientDetail[] }>

export type RuntimeErrorCode = keyof typeof CATALOGUE

/** The named details a client sees of an error with this code besides its code and message (see `ClientDetail`). */
export function clientDetailsOf(code: RuntimeErrorCode): readonly ClientDetail[] {
  const entry = CATALOGUE[code]
  return 'shows' in entry ? entry.shows : []
}

/** The catalogue's own text for a code, which a client reads instead of the thrown message; undefined where the thrown one is shown. */
export function fixedMessageOf(code: RuntimeErrorCode): string | undefined {
  const entry = CATALOGUE[code]
  return 'says' in entry ? entry.says : undefined
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
