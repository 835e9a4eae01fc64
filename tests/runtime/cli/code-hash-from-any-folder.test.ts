/**
 * The code hash an operator approves is the same from any folder on any machine: a product copied
 * to folders of other names and depths, outside the repository, with CRLF line endings, hashes as
 * the one in products/, through `indomain hash` (the real command line) and bundleProduct alike;
 * a one-character change changes it; a file imported from a subfolder does not bring a path in;
 * the import guard still refuses what a product may not import.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleProduct } from '../../../runtime/sandbox/bundle-product.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
const REPO = new URL('../../../', import.meta.url).pathname
const PRODUCT = join(REPO, 'products', 'enterprise-credit-score')
const root = mkdtempSync(join(tmpdir(), 'indomain-code-hash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function hashCli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'hash', ...args], { encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** A copy of `from` at `root/<parts…>`, with `change` applied to each file's text. */
function copyOf(from: string, parts: string[], change: (text: string) => string = (t) => t): string {
  const to = join(root, ...parts)
  mkdirSync(join(to, '..'), { recursive: true })
  cpSync(from, to, { recursive: true })
  for (const file of ['product.ts', 'lib/rules.ts']) {
    try {
      writeFileSync(join(to, file), change(readFileSync(join(to, file), 'utf8')))
    } catch {
      // a product without that file
    }
  }
  return to
}

/** A product whose rule lives in a subfolder file. */
function productWithSubfolder(): string {
  const dir = join(root, 'source-with-lib')
  mkdirSync(join(dir, 'lib'), { recursive: true })
  writeFileSync(join(dir, 'lib', 'rules.ts'), `export const LIMIT = 3\nexport function label(n: number): string {\n  return n > LIMIT ? 'many' : 'few'\n}\n`)
  writeFileSync(
    join(dir, 'product.ts'),
    `import { defineProduct, t } from 'indomain/sdk'
import { label } from './lib/rules.ts'

export default defineProduct({
  id: 'sub-folder', version: '1.0.0', kind: 'api', title: '子目录', category: '公共治理', description: 'a rule from a subfolder',
  entityKey: 'uscc',
  scenario: { purpose: 'test a subfolder import', tables: { enterprise_basic: { key: 'uscc', fields: { status: 's' } } } },
  input: t.object({ uscc: t.uscc() }),
  output: t.object({ size: t.string({ maxLength: 10 }) }),
  run(ctx) {
    return { size: label(ctx.rows('enterprise_basic').length) }
  },
})
`,
  )
  return dir
}

describe('the code hash does not depend on the folder', () => {
  const expected = hashCli(PRODUCT)

  it('prints the same hash for products/ and for copies elsewhere, of other names and depths', async () => {
    expect(expected.code, expected.err).toBe(0)
    const hash = expected.out.trim()
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect((await bundleProduct(PRODUCT)).codeHash).toBe(hash)
    const shallow = copyOf(PRODUCT, ['x'])
    const deep = copyOf(PRODUCT, ['a', 'b', 'c', 'd', 'e', 'another-name'])
    for (const dir of [shallow, deep]) {
      const r = hashCli(dir)
      expect(r.code, r.err).toBe(0)
      expect(r.out.trim()).toBe(hash)
      const bundle = await bundleProduct(dir)
      expect(bundle.codeHash).toBe(hash)
      // nothing of where it was bundled: not the folder, its name, the repository or the temporary root
      for (const path of [dir, 'another-name', REPO, tmpdir(), 'products/']) expect(bundle.code).not.toContain(path)
    }
    // relative to the working directory, as a partner types it
    const relative = spawnSync(process.execPath, [BIN, 'hash', 'another-name'], { encoding: 'utf8', cwd: join(root, 'a', 'b', 'c', 'd', 'e') })
    expect(relative.stdout.trim()).toBe(hash)
  })

  it('hashes a checkout with CRLF line endings and a byte-order mark as the LF one', () => {
    const windows = copyOf(PRODUCT, ['crlf'], (text) => `\uFEFF${text.replace(/\n/g, '\r\n')}`)
    expect(readFileSync(join(windows, 'product.ts'), 'utf8')).toContain('\r\n')
    expect(hashCli(windows).out.trim()).toBe(expected.out.trim())
  })

  it('changes with a one-character change to the product (control)', () => {
    const changed = copyOf(PRODUCT, ['changed'], (text) => text.replace("version: '1.0.0'", "version: '1.0.1'"))
    expect(readFileSync(join(changed, 'product.ts'), 'utf8')).not.toBe(readFileSync(join(PRODUCT, 'product.ts'), 'utf8'))
    const r = hashCli(changed)
    expect(r.code).toBe(0)
    expect(r.out.trim()).toMatch(/^[0-9a-f]{64}$/)
    expect(r.out.trim()).not.toBe(expected.out.trim())
  })

  it('keeps a file imported from a subfolder path-free: copies hash equal, --json lists files relative to the product', async () => {
    const source = productWithSubfolder()
    const copies = [copyOf(source, ['sub-1']), copyOf(source, ['p', 'q', 'sub-2'])]
    const printed = copies.map((dir) => hashCli(dir, '--json'))
    for (const r of printed) expect(r.code, r.err).toBe(0)
    const [first, second] = printed.map((r) => JSON.parse(r.out) as { codeHash: string; files: string[] })
    expect(second).toEqual(first)
    expect(first!.codeHash).toBe((await bundleProduct(source)).codeHash)
    expect(first!.files).toEqual(['lib/rules.ts', 'product.ts', ...first!.files.filter((f) => f.startsWith('sdk/'))])
    expect(first!.files).toContain('sdk/index.ts')
    for (const r of printed) {
      expect(r.out).not.toContain(root)
      expect(r.out).not.toContain(REPO)
    }
    const bundle = await bundleProduct(copies[1]!)
    expect(bundle.code).toContain('indomain-product:lib/rules.ts')
    expect(bundle.code).not.toContain('sub-2')
    // the subfolder file is part of what is hashed (control)
    const changed = copyOf(source, ['sub-3'], (text) => text.replace('LIMIT = 3', 'LIMIT = 4'))
    expect(hashCli(changed).out.trim()).not.toBe(first!.codeHash)
  })

  it('still refuses imports outside the product folder and packages, from the entry and from a subfolder', () => {
    const escape = copyOf(productWithSubfolder(), ['escape'])
    writeFileSync(join(root, 'escape-outside.ts'), 'export const LIMIT = 99\n')
    writeFileSync(join(escape, 'lib', 'rules.ts'), `export { LIMIT } from '../../escape-outside.ts'\nexport function label(n: number): string { return String(n) }\n`)
    const fromSubfolder = hashCli(escape)
    expect(fromSubfolder.code).toBe(3)
    expect(JSON.parse(fromSubfolder.err.trim().split('\n')[0]!)).toMatchObject({ code: 'ERR_BUNDLE_FORBIDDEN_IMPORT', details: { problems: [{ path: 'lib/rules.ts:1' }] } })
    const builtin = copyOf(PRODUCT, ['builtin'], (text) => `import { readFileSync } from 'node:fs'\nvoid readFileSync\n${text}`)
    const fromEntry = hashCli(builtin)
    expect(fromEntry.code).toBe(3)
    expect(fromEntry.err).toContain('ERR_BUNDLE_FORBIDDEN_IMPORT')
    expect(fromEntry.err).not.toContain(root)
    expect(hashCli(join(root, 'no-such-product')).err).toContain('ERR_PRODUCT_NOT_FOUND')
  })
})
