/**
 * Durability of the embedded state without an fsync on the event loop. The file runs in WAL mode
 * with synchronous=NORMAL: a commit appends its frames to the write-ahead log (safe against a
 * crash of the process at once), and this fsyncs that log afterwards on libuv's thread pool, so a
 * commit is on disk — power loss included — before whoever awaited `durable()` answers. Frames
 * checkpointed into the database meanwhile were fsync'd by SQLite's checkpoint. Callers that
 * arrive while an fsync runs share the next one: one fsync per group, however many commits.
 */
import { open, type FileHandle } from 'node:fs/promises'

export type WalSync = {
  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void>
  close(): Promise<void>
}

export function walSync(databasePath: string): WalSync {
  let file: Promise<FileHandle> | undefined
  let running: Promise<void> | undefined
  let next: Promise<void> | undefined

  const sync = async (): Promise<void> => {
    file ??= open(`${databasePath}-wal`, 'r')
    let handle: FileHandle
    try {
      handle = await file
    } catch (error) {
      file = undefined
      // no log (nothing written since it was checkpointed and removed): nothing to make durable
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    await handle.sync()
  }

  const durable = (): Promise<void> => {
    if (running === undefined) {
      running = sync().finally(() => (running = undefined))
      return running
    }
    // an fsync under way may have started before this caller's commit: the next one covers it
    next ??= running.then(
      () => {
        next = undefined
        return durable()
      },
      () => {
        next = undefined
        return durable()
      },
    )
    return next
  }

  return {
    durable,
    async close() {
      await running?.catch(() => undefined)
      await next?.catch(() => undefined)
      const handle = await file?.catch(() => undefined)
      file = undefined
      await handle?.close()
    },
  }
}
