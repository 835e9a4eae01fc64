/**
 * Group commit (as a database's write-ahead log does it): work items that arrive while a group is
 * being committed wait, and go together in the next group — one transaction, one durable write,
 * however many callers. Under light load a group is the one item of this turn of the event loop;
 * under heavy load groups grow by themselves. Each submitter learns its own item's outcome once
 * its group has committed; a group that fails fails every item in it, and nothing of it is kept.
 */
export type GroupCommit<I, O> = {
  /** Queues `item` for the next group; resolves with its outcome after that group committed. */
  submit(item: I): Promise<O>
  /** Resolves once every item submitted so far has been committed (or failed). */
  settled(): Promise<void>
}

export type GroupCommitOptions = {
  /** Most items in one group (the rest wait for the next). */
  readonly maxGroup?: number
}

/**
 * `commitGroup` commits the items of one group and returns their outcomes, in order. Groups are
 * committed one after another: the next starts when the one before has finished.
 */
export function createGroupCommit<I, O>(commitGroup: (items: readonly I[]) => Promise<readonly O[]>, options: GroupCommitOptions = {}): GroupCommit<I, O> {
  const maxGroup = options.maxGroup ?? 500
  type Waiting = { readonly item: I; readonly resolve: (o: O) => void; readonly reject: (e: unknown) => void }
  let queue: Waiting[] = []
  let running: Promise<void> | undefined

  const commitNext = async (): Promise<void> => {
    while (queue.length > 0) {
      const group = queue.slice(0, maxGroup)
      queue = queue.slice(group.length)
      try {
        const outcomes = await commitGroup(group.map((w) => w.item))
        if (outcomes.length !== group.length) throw new Error(`a group of ${group.length} items committed ${outcomes.length} outcomes`)
        group.forEach((w, i) => w.resolve(outcomes[i]!))
      } catch (error) {
        for (const w of group) w.reject(error)
      }
    }
  }

  const start = (): void => {
    if (running !== undefined) return
    // the items of this turn of the event loop go together; later ones wait for the next group
    running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(commitNext)
      .finally(() => {
        running = undefined
        if (queue.length > 0) start()
      })
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        start()
      })
    },
    async settled() {
      while (running !== undefined) await running
    },
  }
}
