/**
 * The rules of a product version's review (产品审查), pure: who may upload over what, when a
 * version may be submitted, and who may decide it.
 */
import { paramsInvalid, RuntimeError } from '../errors.ts'
import type { ProductVersion, UploadedVersion } from './product-versions.ts'

/** A product id belongs to the partner who first uploaded it; only an unsubmitted version may be replaced. */
export function checkUpload(v: UploadedVersion, owner: string | undefined, existing: ProductVersion | undefined): void {
  if (owner !== undefined && owner !== v.partner) {
    throw new RuntimeError('ERR_CONFLICT', 'The product id belongs to another partner', { details: { product: v.product } })
  }
  if (existing !== undefined && existing.status !== 'uploaded') {
    throw new RuntimeError('ERR_CONFLICT', 'This version was submitted already: upload a new version', { details: { product: v.product, version: v.version, status: existing.status } })
  }
}

/** Only the owner submits, once, after a dev run on sample data. */
export function checkSubmit(v: ProductVersion, partner: string): void {
  if (v.partner !== partner) throw new RuntimeError('ERR_NOT_FOUND', 'No such product version', { details: { product: v.product, version: v.version } })
  if (v.status !== 'uploaded') throw new RuntimeError('ERR_CONFLICT', 'The version is not waiting to be submitted', { details: { product: v.product, version: v.version, status: v.status } })
  if (v.devRun === null) throw new RuntimeError('ERR_CONFLICT', 'Dev-run the version on sample data before submitting it', { details: { product: v.product, version: v.version } })
}

/** A submitted version is decided once, by an operator who is not its partner; a rejection says why. */
export function checkVersionDecision(v: ProductVersion, operator: string, decision: 'approve' | 'reject', reason: string | undefined): void {
  if (v.status !== 'submitted') throw new RuntimeError('ERR_CONFLICT', 'The version is not waiting for review', { details: { product: v.product, version: v.version, status: v.status } })
  if (operator === v.partner) throw new RuntimeError('ERR_FORBIDDEN', 'A partner may not review its own product')
  if (decision === 'reject' && (reason === undefined || reason.trim() === '')) throw paramsInvalid('A rejection needs a reason', 'reason')
}
