/**
 * Monthly quotas per consumer: released calls this calendar month (Beijing's), all products together.
 * A call reserves a unit in the ledger before it runs and gives it back if nothing was released;
 * the count lives in the state database, so concurrent calls on any number of replicas cannot
 * overshoot the quota.
 */
import { cityMonth } from '../city-calendar.ts'
import { RuntimeError } from '../errors.ts'
import type { ReleaseStore } from '../release/release-store.ts'
import type { Consumer } from './registry.ts'

export type QuotaMeter = {
  /** Reserves one call; refuses with ERR_QUOTA_EXCEEDED when the month's quota is used. Returns the give-back function. */
  reserve(consumer: Consumer): Promise<() => void>
}

export function createQuotaMeter(releases: ReleaseStore, now: () => Date = () => new Date()): QuotaMeter {
  return {
    async reserve(consumer) {
      const quota = consumer.monthlyQuota
      if (quota === null) return () => undefined
      const month = cityMonth(now().getTime())
      if (!(await releases.reserveQuota(consumer.id, month, quota))) {
        throw new RuntimeError('ERR_QUOTA_EXCEEDED', 'The monthly call quota is used up', { details: { quota } })
      }
      let given = false
      return () => {
        if (given) return
        given = true
        releases.returnQuota(consumer.id, month).catch((error: unknown) => {
          // a unit not given back only errs on the safe side (one call fewer this month)
          process.emitWarning(`a quota reservation could not be given back: ${error instanceof Error ? error.message : 'unknown error'}`)
        })
      }
    },
  }
}
