/**
 * A product's failures on real data are outcomes too: a sandbox failure or a denied read is
 * audited with its code (refusals are audited by the release step already) and counted; the
 * caller decides what a count means (the server holds a product after repeated failures).
 */
import type { AuditEvent } from '../audit/index.ts'
import { productFailureCode } from '../products/product-failure.ts'

export type FailureAccounting = {
  readonly audit: (event: AuditEvent) => Promise<unknown>
  /** Counts the failure (its code: a sandbox failure, a denied read, a refusal); absent: audited only. */
  readonly count?: (code: string) => Promise<void>
}

export async function accountingFailures<T>(accounting: FailureAccounting, who: { readonly consumer: string; readonly subject: string }, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const code = productFailureCode(error)
    if (code !== undefined) {
      const details = (error as { details?: Record<string, unknown> }).details
      const productCode = code === 'ERR_SANDBOX_THREW' ? details?.productCode : undefined
      // a product that cannot serve says why (catalog names only), for the partner and the operator
      const problems = code === 'ERR_PRODUCT_CANNOT_SERVE' ? details?.problems : undefined
      if (code !== 'ERR_RELEASE_REFUSED') await accounting.audit({ actor: who.consumer, action: 'product.failed', subject: who.subject, detail: { code, ...(productCode === undefined ? {} : { productCode }), ...(problems === undefined ? {} : { problems }) } })
      await accounting.count?.(code)
    }
    throw error
  }
}
