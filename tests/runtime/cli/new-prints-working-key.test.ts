/**
 * `indomain new` prints a next command that works as printed: the key in it is an employer with
 * payment rows in the synthetic store `indomain dev` uses, and running the printed line (through a
 * shell, `npx indomain …` as a partner types it) answers for that key. With no store yet, `new`
 * builds the one dev would build; a store of real data never has an identifier printed from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { META_SCHEMA, openStore } from '../../../runtime/store/index.ts'
import { createSampleStore, type SampleStore } from '../../helpers/sample-store.ts'

const BIN = new URL('../../../bin/indomain.js', import.meta.url).pathname
const REPO = new URL('../../../', import.meta.url).pathname
const root = mkdtempSync(join(tmpdir(), 'indomain-new-key-'))
let sample: SampleStore

/** `env` for an installation whose data folder and store are the given ones. */
const envFor = (store: string, extra: Record<string, string> = {}) => ({ ...process.env, INDOMAIN_DATA_DIR: join(root, 'data'), INDOMAIN_STORE: store, ...extra })

function scaffold(name: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, 'new', join(root, name)], { encoding: 'utf8', env })
  expect(r.status, r.stderr).toBe(0)
  const next = r.stdout.split('\n').find((line) => line.startsWith('try: '))
  expect(next, r.stdout).toBeDefined()
  return next!.slice('try: '.length)
}

/** The printed command, run by a shell from the repository as a partner would. */
function runPrinted(command: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync('sh', ['-c', command], { encoding: 'utf8', env, cwd: REPO })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const keyOf = (command: string) => /"uscc":"([0-9A-Z]{18})"/.exec(command)?.[1]

beforeAll(async () => {
  sample = await createSampleStore(1000, 'new-key')
})
afterAll(() => {
  sample?.dispose()
  rmSync(root, { recursive: true, force: true })
})

describe('indomain new prints a command that works', () => {
  it('prints a USCC with payment rows in the store, and the printed command answers for it', async () => {
    const env = envFor(sample.path)
    const command = scaffold('first-product', env)
    expect(command).toMatch(/^npx indomain dev \S+first-product --input '\{"uscc":"[0-9A-Z]{18}"\}'$/)
    const key = keyOf(command)!
    const rows = await sample.storeRows('SELECT count(*) AS n FROM social_insurance_payment WHERE employer_uscc = ?', [key])
    expect(Number(rows[0]!.n)).toBeGreaterThan(0)
    const ran = runPrinted(command, env)
    expect(ran.code, ran.err).toBe(0)
    const printed = JSON.parse(ran.out) as { input: { uscc: string }; output: { insuredMonths: number; longestGap: number }; release: { status: string } }
    expect(printed.input.uscc).toBe(key)
    expect(printed.output.insuredMonths).toBeGreaterThan(0)
    expect(printed.release.status).toBe('released')
  })

  it('a code the store does not hold fails the same command with ERR_ENTITY_NOT_FOUND (the key is what makes it work)', () => {
    const env = envFor(sample.path)
    const command = scaffold('second-product', env)
    const ran = runPrinted(command.replace(keyOf(command)!, '91350100M000100Y43'), env)
    expect(ran.code).toBe(1)
    expect(ran.err).toContain('ERR_ENTITY_NOT_FOUND')
  })

  it('builds the store dev would build when there is none yet, and the printed command works on it', () => {
    const store = join(root, 'not-yet-built.duckdb')
    const env = envFor(store, { INDOMAIN_SAMPLE_SCALE: '500' })
    const command = scaffold('before-any-store', env)
    expect(existsSync(store)).toBe(true)
    const ran = runPrinted(command, env)
    expect(ran.code, ran.err).toBe(0)
    expect((JSON.parse(ran.out) as { input: { uscc: string } }).input.uscc).toBe(keyOf(command))
  })

  it('prints no identifier from a store of real data, only a placeholder', async () => {
    const real = join(root, 'real.duckdb')
    copyFileSync(sample.path, real)
    const store = await openStore(real, { access: 'read-write' })
    try {
      await store.connection.run(`UPDATE ${META_SCHEMA}.properties SET value = 'import' WHERE key = 'origin'`)
    } finally {
      store.close()
    }
    const command = scaffold('on-real-data', envFor(real))
    expect(keyOf(command)).toBeUndefined()
    expect(command).toContain('<a USCC in your store>')
    expect(readFileSync(join(root, 'on-real-data', 'product.ts'), 'utf8')).toContain("id: 'on-real-data'")
  })
})
