/**
 * Monthly quotas per consumer: released calls this calendar month (UTC), all products together.
 * The count is loaded from the ledger once per consumer and month and kept in memory; a call
 * reserves a unit before it runs and gives it back if nothing was released, so that concurrent
 * calls cannot overshoot the quota.
 */
import { RuntimeError } from '../errors.ts'
import type { ReleaseStore } from '../release/release-store.ts'
import type { Consumer } from './registry.ts'

export type QuotaMeter = {
  /** Reserves one call; refuses with ERR_QUOTA_EXCEEDED when the month's quota is used. Returns the release function. */
  reserve(consumer: Consumer): Promise<() => void>
}

export function createQuotaMeter(releases: ReleaseStore, now: () => Date = () => new Date()): QuotaMeter {
  const used = new Map<string, Promise<{ n: number }>>()
  return {
    async reserve(consumer) {
      if (consumer.monthlyQuota === null) return () => undefined
      const month = now().toISOString().slice(0, 7)
      const key = `${consumer.id}/${month}`
      let counter = used.get(key)
      if (counter === undefined) {
        counter = releases.usage({ consumer: consumer.id, month }).then((rows) => ({ n: rows.reduce((t, r) => t + r.released, 0) }))
        used.set(key, counter)
      }
      const c = await counter
      if (c.n >= consumer.monthlyQuota) throw new RuntimeError('ERR_QUOTA_EXCEEDED', 'The monthly call quota is used up', { details: { quota: consumer.monthlyQuota } })
      c.n++
      let given = false
      return () => {
        if (!given) c.n--
        given = true
      }
    },
  }
}
