/**
 * The only error partner code should throw. Its `code` reaches the caller; its message goes
 * to the restricted audit stream only (an error message is an output channel).
 *
 * @example
 * ```ts
 * if (rows.length === 0) throw new ProductError('NOT_FOUND', 'no registration for this code')
 * ```
 */
export class ProductError extends Error {
  /** Upper snake case, at most 40 characters, e.g. `NOT_FOUND`, `INSUFFICIENT_HISTORY`. */
  readonly code: string

  constructor(code: string, message?: string) {
    super(message ?? code)
    this.name = 'ProductError'
    this.code = /^[A-Z][A-Z0-9_]{0,39}$/.test(code) ? code : 'PRODUCT_ERROR'
  }
}
