/**
 * A product with a type error is refused before it runs or is accepted, with each error's
 * `file:line` (relative to the product folder) and the compiler's message: by `indomain dev` (the
 * real command line) and by the server's upload (PUT of a version's files), which keeps nothing of
 * a refused upload. The same product without the error runs and uploads (control).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPartnerServer, type PartnerServer } from '../../helpers/partner-server.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
const PRODUCT = 'enterprise-credit-score'
const SOURCE = readFileSync(new URL(`../../../products/${PRODUCT}/product.ts`, import.meta.url), 'utf8')
/** The product with `const n: number = 'x'` on its second line. */
const TYPE_ERROR = SOURCE.replace(/\n/, "\nexport const n: number = 'x'\n")
const TYPE_ERROR_LINE = 2
const HELPER = `export function half(n: number): number {\n  return n / 2\n}\n`
/** The helper with a call of a number as a function on its second line. */
const HELPER_ERROR = `export function half(n: number): number {\n  return n(2)\n}\n`
/** The product, importing the helper from a subfolder (and using it). */
const WITH_HELPER = `import { half } from './lib/half.ts'\nexport const halved = half(4)\n${SOURCE}`

const root = mkdtempSync(join(tmpdir(), 'indomain-type-errors-'))
let platform: PartnerServer
let partner: string

/** A product folder holding `files`. */
function productDir(name: string, files: Record<string, string>): string {
  const dir = join(root, name)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

function dev(dir: string) {
  const r = spawnSync(process.execPath, [BIN, 'dev', dir, '--db', platform.sample.path, '--pick', '1'], { encoding: 'utf8', env: { ...process.env, INDOMAIN_DATA_DIR: join(root, 'data') } })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const firstError = (stderr: string) => JSON.parse(stderr.trim().split('\n')[0]!) as { code: string; details?: { problems?: { path: string; problem: string }[] } }

beforeAll(async () => {
  platform = await createPartnerServer('type-errors')
  partner = await platform.partner('acme-data', 'MA2T3X4Y')
}, 120_000)

afterAll(async () => {
  await platform?.close()
  rmSync(root, { recursive: true, force: true })
})

describe('indomain dev type-checks the product first', () => {
  it('refuses a type error in product.ts with ERR_PRODUCT_INVALID naming product.ts:line and the compiler\'s message', () => {
    const r = dev(productDir('typed-wrong', { 'product.ts': TYPE_ERROR }))
    expect(r.code).toBe(3)
    expect(r.out).toBe('')
    const error = firstError(r.err)
    expect(error).toMatchObject({ code: 'ERR_PRODUCT_INVALID', details: { problems: [{ path: `product.ts:${TYPE_ERROR_LINE}`, problem: "Type 'string' is not assignable to type 'number'." }] } })
    // nothing of where the product lives
    expect(r.err).not.toContain(root)
  })

  it('names a file of a subfolder by its path inside the product', () => {
    const r = dev(productDir('helper-wrong', { 'product.ts': WITH_HELPER, 'lib/half.ts': HELPER_ERROR }))
    expect(r.code).toBe(3)
    const error = firstError(r.err)
    expect(error.code).toBe('ERR_PRODUCT_INVALID')
    expect(error.details!.problems).toEqual([{ path: 'lib/half.ts:2', problem: expect.stringContaining('not callable') }])
  })

  it('runs the same product without the error (control)', () => {
    const r = dev(productDir('typed-right', { 'product.ts': WITH_HELPER, 'lib/half.ts': HELPER }))
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ product: PRODUCT, output: { score: expect.any(Number) } })
  })

  it('attack: a type-only import of a file outside the folder (erased before the import guard) is never read: a missing module', () => {
    writeFileSync(join(root, 'host-secret.ts'), "export type Secret = { password: 'hunter2-secret' }\n")
    const probe = `import type { Secret } from '../host-secret.ts'\nexport const probe: 1 = null as unknown as Secret['password']\n`
    const r = dev(productDir('reads-host-file', { 'product.ts': `${probe}${SOURCE}` }))
    expect(r.code).toBe(3)
    expect(firstError(r.err)).toEqual({ code: 'ERR_PRODUCT_INVALID', message: expect.any(String), details: { problems: [{ path: 'product.ts:1', problem: "Cannot find module '../host-secret.ts' or its corresponding type declarations." }] } })
    expect(r.err).not.toContain('hunter2')
    // the same type import from the product's own folder is read and checked (control)
    const own = productDir('reads-own-file', { 'product.ts': `${probe.replace('../host-secret.ts', './secret.ts')}${SOURCE}`, 'secret.ts': "export type Secret = { password: 'own-value' }\n" })
    const checked = dev(own)
    expect(firstError(checked.err).details!.problems).toEqual([{ path: 'product.ts:2', problem: 'Type \'"own-value"\' is not assignable to type \'1\'.' }])
  })

  it('still reports a forbidden import as such, not as a type error', () => {
    const r = dev(productDir('imports-fs', { 'product.ts': `import { readFileSync } from 'node:fs'\nexport const read = readFileSync\n${SOURCE}` }))
    expect(r.code).toBe(3)
    expect(firstError(r.err).code).toBe('ERR_BUNDLE_FORBIDDEN_IMPORT')
  })
})

describe('the server refuses an upload with a type error', () => {
  const url = (version: string) => `/v1/partner/products/${PRODUCT}/versions/${version}`
  const versioned = (text: string, version: string) => text.replace("version: '1.0.0'", `version: '${version}'`)

  it('answers ERR_PRODUCT_INVALID with file:line problems, and keeps nothing of the upload', async () => {
    const refused = await platform.call({ method: 'PUT', url: url('1.0.0'), token: partner, body: { files: { 'product.ts': TYPE_ERROR } } })
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({ code: 'ERR_PRODUCT_INVALID', problems: [{ path: `product.ts:${TYPE_ERROR_LINE}`, problem: "Type 'string' is not assignable to type 'number'." }] })
    expect(JSON.stringify(refused.body)).not.toContain(platform.config.uploadsDir)
    expect(existsSync(join(platform.config.uploadsDir, 'acme-data', PRODUCT, '1.0.0'))).toBe(false)
    expect((await platform.call({ url: '/v1/partner/products', token: partner })).body.versions).toEqual([])
    const inSubfolder = await platform.call({ method: 'PUT', url: url('1.0.0'), token: partner, body: { files: { 'product.ts': WITH_HELPER, 'lib/half.ts': HELPER_ERROR } } })
    expect(inSubfolder.body).toMatchObject({ code: 'ERR_PRODUCT_INVALID', problems: [{ path: 'lib/half.ts:2' }] })
  })

  it('accepts and dev-runs the same product without the error (control)', async () => {
    const uploaded = await platform.call({ method: 'PUT', url: url('1.0.0'), token: partner, body: { files: { 'product.ts': WITH_HELPER, 'lib/half.ts': HELPER } } })
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201)
    const run = await platform.call({ method: 'POST', url: `${url('1.0.0')}/dev-run`, token: partner, body: { pick: 1 } })
    expect(run.body).toMatchObject({ ok: true, output: { score: expect.any(Number) } })
    // a later version with an error is refused while the good one stays
    const later = await platform.call({ method: 'PUT', url: url('1.0.1'), token: partner, body: { files: { 'product.ts': versioned(TYPE_ERROR, '1.0.1') } } })
    expect(later.body.code).toBe('ERR_PRODUCT_INVALID')
    expect(((await platform.call({ url: '/v1/partner/products', token: partner })).body.versions as { version: string }[]).map((v) => v.version)).toEqual(['1.0.0'])
  })
})

