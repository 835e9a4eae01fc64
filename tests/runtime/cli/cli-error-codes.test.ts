/**
 * The command line names what went wrong with the code that fits it: a missing file is not found,
 * a folder that already holds a product is a conflict — not a catch-all "invalid parameters" —
 * and nothing already there is touched.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN } from '../../helpers/serve-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'indomain-cli-codes-'))
const env = { ...process.env, INDOMAIN_DATA_DIR: join(dir, 'data'), INDOMAIN_KEY_PASSPHRASE: 'cli codes passphrase' }
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, cwd: dir })
const codeOf = (stderr: string) => (JSON.parse(stderr.split('\n')[0]!) as { code: string }).code

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('command-line error codes', () => {
  it('a second `new` in a folder is a conflict and leaves the first product as it was', () => {
    const first = cli('new', 'my-product')
    expect(first.status, first.stderr).toBe(0)
    const before = readFileSync(join(dir, 'my-product', 'product.ts'), 'utf8')
    const again = cli('new', 'my-product')
    expect(again.status).toBe(1)
    expect(codeOf(again.stderr)).toBe('ERR_CONFLICT')
    expect(readFileSync(join(dir, 'my-product', 'product.ts'), 'utf8')).toBe(before)
  })

  it('verifying an audit file that does not exist is not found', () => {
    const r = cli('audit', 'verify', '--file', join(dir, 'no-such-audit.jsonl'))
    expect(r.status).not.toBe(0)
    expect(codeOf(r.stderr)).toBe('ERR_NOT_FOUND')
  })
})
