/**
 * Group commit: what arrives together is committed together, what arrives during a commit waits
 * for the next group, each submitter gets its own outcome, and a failed group fails only its own
 * items (the next group commits).
 */
import { describe, expect, it } from 'vitest'
import { createGroupCommit } from '../../../runtime/state/group-commit.ts'

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('group commit', () => {
  it('commits the items of one turn of the event loop as one group, each with its own outcome', async () => {
    const groups: number[][] = []
    const commit = createGroupCommit<number, string>(async (items) => {
      groups.push([...items])
      return items.map((i) => `done ${i}`)
    })
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((i) => commit.submit(i)))
    expect(outcomes).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5'])
    expect(groups).toEqual([[1, 2, 3, 4, 5]])
  })

  it('lets items that arrive during a commit wait, and commits them together next', async () => {
    const groups: number[][] = []
    const gate = deferred()
    const commit = createGroupCommit<number, number>(async (items) => {
      groups.push([...items])
      if (groups.length === 1) await gate.promise
      return items.map((i) => i * 10)
    })
    const first = commit.submit(1)
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    expect(groups).toEqual([[1]])
    const later = [2, 3, 4].map((i) => commit.submit(i))
    // nothing more starts while the first group is committing
    await new Promise((r) => setTimeout(r, 20))
    expect(groups).toEqual([[1]])
    gate.resolve()
    expect(await first).toBe(10)
    expect(await Promise.all(later)).toEqual([20, 30, 40])
    expect(groups).toEqual([[1], [2, 3, 4]])
    await commit.settled()
  })

  it('fails every item of a failed group and only those; the next group commits', async () => {
    let calls = 0
    const commit = createGroupCommit<string, string>(async (items) => {
      calls++
      if (items.includes('poison')) throw new Error('the transaction failed')
      return [...items]
    })
    const failed = [commit.submit('a'), commit.submit('poison')]
    for (const f of failed) await expect(f).rejects.toThrow('the transaction failed')
    expect(await commit.submit('b')).toBe('b')
    expect(calls).toBe(2)
  })

  it('refuses a group whose outcomes do not match its items, and splits groups at the largest size', async () => {
    const short = createGroupCommit<number, number>(async (items) => items.slice(1))
    await expect(Promise.all([short.submit(1), short.submit(2)])).rejects.toThrow(/2 items committed 1 outcomes/)
    const sizes: number[] = []
    const split = createGroupCommit<number, number>(async (items) => {
      sizes.push(items.length)
      return [...items]
    }, { maxGroup: 4 })
    expect(await Promise.all(Array.from({ length: 10 }, (_, i) => split.submit(i)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(sizes).toEqual([4, 4, 2])
  })
})
