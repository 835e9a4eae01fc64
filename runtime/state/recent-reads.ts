/**
 * Reads a call may reuse for a moment (a consumer by its key, a product's newest version, a
 * scenario): each is read again after `READ_CACHE_MS`, and all are dropped by `clear` (a change
 * made through this process). What decides a release is read again where it is recorded
 * (pipeline/release-commit.ts), so a change made elsewhere is never missed, only seen a moment later
 * by the calls that start meanwhile.
 */
export const READ_CACHE_MS = 1000

const MAX_ENTRIES = 10_000

export type RecentReads<T> = {
  /** The value read for `key` within the last `READ_CACHE_MS`, or `read()` now (a failed read is not kept). */
  get(key: string, read: () => Promise<T>): Promise<T>
  clear(): void
}

export function recentReads<T>(): RecentReads<T> {
  let entries = new Map<string, { readonly at: number; readonly value: Promise<T> }>()
  return {
    get(key, read) {
      const at = Date.now()
      const hit = entries.get(key)
      if (hit !== undefined && at - hit.at < READ_CACHE_MS) return hit.value
      const value = read()
      const kept = entries
      value.catch(() => {
        if (kept.get(key)?.value === value) kept.delete(key)
      })
      entries.delete(key)
      // bounded: the oldest read goes first
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!)
      entries.set(key, { at, value })
      return value
    },
    clear() {
      entries = new Map()
    },
  }
}
