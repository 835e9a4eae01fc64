/**
 * The embedded state's fsync off the event loop: callers that arrive while an fsync runs share
 * the next one (never one that started before their commit), a log that is not there yet is
 * nothing to sync, and a log that cannot be opened is an error, not a silent success.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { walSync } from '../../../runtime/state/wal-sync.ts'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the write-ahead log fsync', () => {
  it('makes every caller wait for an fsync that started after it asked', async () => {
    dir = mkdtempSync(join(tmpdir(), 'indomain-wal-'))
    writeFileSync(join(dir, 'state.sqlite-wal'), 'frames')
    const wal = walSync(join(dir, 'state.sqlite'))
    const order: string[] = []
    const first = wal.durable().then(() => order.push('first'))
    // asked while the first fsync runs: served by the next one, which starts after the first ends
    const second = wal.durable().then(() => order.push('second'))
    const third = wal.durable().then(() => order.push('third'))
    await Promise.all([first, second, third])
    expect(order[0]).toBe('first')
    expect(order.slice(1).sort()).toEqual(['second', 'third'])
    await wal.close()
  })

  it('has nothing to sync before the log exists, and syncs it once it does', async () => {
    dir = mkdtempSync(join(tmpdir(), 'indomain-wal-'))
    const wal = walSync(join(dir, 'state.sqlite'))
    await expect(wal.durable()).resolves.toBeUndefined()
    writeFileSync(join(dir, 'state.sqlite-wal'), 'frames')
    await expect(wal.durable()).resolves.toBeUndefined()
    await wal.close()
  })

  it('fails when the log cannot be opened, rather than answer that it is durable', async () => {
    dir = mkdtempSync(join(tmpdir(), 'indomain-wal-'))
    writeFileSync(join(dir, 'plain'), '')
    const broken = walSync(join(dir, 'plain', 'state.sqlite'))
    await expect(broken.durable()).rejects.toMatchObject({ code: 'ENOTDIR' })
    await broken.close()
  })
})
