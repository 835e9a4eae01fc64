/**
 * A one-entity product names the key field of every table, and the partner learns it before any
 * run: without a key, `indomain dev` refuses the product at its type check, the problem at the
 * table's line saying the key is missing (the sandbox alone could only say that the bundle defines
 * no product). The same product with its key runs (control).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN } from '../helpers/serve-process.ts'

let dir: string
const dev = (product: string) => spawnSync(process.execPath, [BIN, 'dev', product, '--pick'], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: join(dir, 'data'), INDOMAIN_SAMPLE_SCALE: '1000' } })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-keyed-tables-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('every table of a one-entity product names its key', () => {
  it('a table without its key is a type error at the table\'s line, before any run', () => {
    const product = join(dir, 'no-key')
    cpSync('products/enterprise-credit-score', product, { recursive: true })
    const source = readFileSync(join(product, 'product.ts'), 'utf8')
    writeFileSync(join(product, 'product.ts'), source.replace("key: 'uscc',", ''))
    const run = dev(product)
    expect(run.status).not.toBe(0)
    const answer = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { code: string; details: { problems: { path: string; problem: string }[] } }
    expect(answer.code).toBe('ERR_PRODUCT_INVALID')
    expect(answer.details.problems).toEqual([{ path: expect.stringMatching(/^product\.ts:\d+$/), problem: expect.stringContaining("Property 'key' is missing") }])
  }, 240_000)

  it('the same product with its key runs (control)', () => {
    const product = join(dir, 'with-key')
    cpSync('products/enterprise-credit-score', product, { recursive: true })
    const run = dev(product)
    expect(run.status, run.stderr).toBe(0)
  }, 240_000)
})
