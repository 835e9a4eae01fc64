/**
 * The registry's rules, pure: what a consumer id, a quota, a price and a price cap may be.
 */
import { paramsInvalid, RuntimeError } from '../errors.ts'

const CONSUMER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/

export function checkConsumer(id: string, monthlyQuota: number | null): void {
  if (typeof id !== 'string' || !CONSUMER_ID.test(id)) throw paramsInvalid('A consumer id is lower case letters, digits and dashes', 'id')
  if (monthlyQuota !== null && (!Number.isInteger(monthlyQuota) || monthlyQuota < 1)) throw paramsInvalid('A quota is a whole number of calls, at least 1', 'monthlyQuota')
}

export function checkPriceCap(capFen: number): void {
  if (!Number.isInteger(capFen) || capFen < 0) throw paramsInvalid('A price cap is a whole number of 分, at least 0', 'capFen')
}

/** A published price is whole 分, never above the operator's cap for the product. */
export function checkPrice(priceFen: number, capFen: number | undefined): void {
  if (!Number.isInteger(priceFen) || priceFen < 0) throw paramsInvalid('A price is a whole number of 分, at least 0', 'pricePerCallFen')
  if (capFen !== undefined && priceFen > capFen) {
    throw paramsInvalid('The price is above the operator\'s price cap', 'pricePerCallFen', { capFen })
  }
}
