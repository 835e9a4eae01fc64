import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleProduct } from '../../../runtime/sandbox/bundle-product.ts'

const dirs: string[] = []
function product(source: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'indomain-bundle-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'product.ts'), source)
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('bundleProduct', () => {
  it('bundles the product with the SDK into one script, hashed, without host paths', async () => {
    const b = await bundleProduct('products/enterprise-credit-score')
    expect(b.codeHash).toMatch(/^[0-9a-f]{64}$/)
    expect(b.files).toContain('sdk/scoring.ts')
    expect(b.code).not.toContain('/work/')
    expect(b.code).not.toContain(process.cwd())
    const again = await bundleProduct('products/enterprise-credit-score')
    expect(again.codeHash).toBe(b.codeHash)
  })

  it('allows the product\'s own files', async () => {
    const dir = product(`import { helper } from './helper.ts'\nexport default helper`, { 'helper.ts': 'export const helper = 1' })
    await expect(bundleProduct(dir)).resolves.toMatchObject({ codeHash: expect.any(String) })
  })

  it.each([
    ['a node builtin', `import fs from 'node:fs'; export default fs`],
    ['a bare builtin', `import cp from 'child_process'; export default cp`],
    ['an npm package', `import z from 'zod'; export default z`],
    ['the runtime', `import * as r from '../../work/main/runtime/errors.ts'; export default r`],
    ['a require call', `const fs = require('fs'); export default fs`],
    ['a file outside the product folder', `import x from '../../../etc/passwd'; export default x`],
  ])('refuses %s with ERR_BUNDLE_FORBIDDEN_IMPORT', async (_, source) => {
    await expect(bundleProduct(product(source))).rejects.toMatchObject({ code: 'ERR_BUNDLE_FORBIDDEN_IMPORT' })
  })

  it('reports a compile error as ERR_BUNDLE_FAILED and a missing product as ERR_PRODUCT_NOT_FOUND', async () => {
    await expect(bundleProduct(product('export default {{{'))).rejects.toMatchObject({ code: 'ERR_BUNDLE_FAILED' })
    await expect(bundleProduct(mkdtempSync(join(tmpdir(), 'indomain-empty-')))).rejects.toMatchObject({ code: 'ERR_PRODUCT_NOT_FOUND' })
  })
})
