/**
 * A warm index notices that its views file was rebuilt (replaced or removed), looking at the file
 * at most every quarter second instead of on every call — and never calls an unchanged file stale.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { staleAfterRebuild } from '../../../runtime/scenarios/data-gate.ts'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a warm index and its views file', () => {
  it('stays fresh while the file is unchanged, and notices a rebuild and a removal', async () => {
    dir = mkdtempSync(join(tmpdir(), 'indomain-stale-'))
    const file = join(dir, 'views.duckdb')
    writeFileSync(file, 'v1')
    const mtime = statSync(file).mtimeMs
    const rebuilt = staleAfterRebuild(file, mtime)
    expect(rebuilt()).toBe(false)
    await pause(300)
    // the control: looked at, unchanged
    expect(rebuilt()).toBe(false)
    writeFileSync(file, 'v2')
    utimesSync(file, new Date(), new Date(mtime + 5000))
    await pause(300)
    expect(rebuilt()).toBe(true)
    // once stale, stale for good (the index is rebuilt)
    writeFileSync(file, 'v1')
    utimesSync(file, new Date(), new Date(mtime))
    expect(rebuilt()).toBe(true)

    const gone = staleAfterRebuild(file, statSync(file).mtimeMs)
    rmSync(file)
    await pause(300)
    expect(gone()).toBe(true)
  })
})
