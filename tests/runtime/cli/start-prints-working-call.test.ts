/**
 * The quick start's first command as a new user meets it: `indomain start` on an empty data folder
 * builds the sample store, publishes the examples and prints a call to make. That call, as printed
 * (its key file, its enterprise code, its URL), is answered with a signed release that verifies
 * against the printed JWKS address; the same call with the code's check digit changed is the
 * caller's typo (control: the printed code is not just any string).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verifyRelease } from '../../../runtime/release/signing.ts'
import { BIN } from '../../helpers/serve-process.ts'

let dir: string
let child: ChildProcess
let printed = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-start-'))
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const env = { ...process.env, INDOMAIN_DATA_DIR: join(dir, 'data'), INDOMAIN_SAMPLE_SCALE: '1000', INDOMAIN_PORT: String(port), INDOMAIN_KEY_PASSPHRASE: 'start test passphrase' }
  child = spawn(process.execPath, [BIN, 'start'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (d: Buffer) => (printed += d.toString()))
  await new Promise<void>((resolve, reject) => {
    let errors = ''
    child.stderr!.on('data', (d: Buffer) => {
      errors += d.toString()
      if (errors.includes('indomain ready')) resolve()
    })
    child.once('exit', () => reject(new Error(`indomain start exited: ${errors.slice(-1000)}`)))
  })
}, 240_000)

afterAll(() => {
  child?.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
})

describe('indomain start', () => {
  it('prints a call that works as printed: its key file, its enterprise, its URL; the release verifies', async () => {
    const keyFile = /Bearer \$\(cat ([^)]+)\)/.exec(printed)?.[1]
    const body = /-d '([^']+)'/.exec(printed)?.[1]
    const url = /curl -s -X POST (\S+)/.exec(printed)?.[1]
    const jwks = /--jwks (\S+)/.exec(printed)?.[1]
    expect({ keyFile, body, url, jwks }, printed).toEqual({ keyFile: 'data/demo-consumer.key', body: expect.stringMatching(/^\{"input":\{"uscc":"[0-9A-Z]{18}"\}\}$/), url: expect.stringMatching(/\/invoke$/), jwks: expect.stringMatching(/jwks\.json$/) })
    const key = readFileSync(join(dir, keyFile!), 'utf8').trim()
    const call = (payload: string) => fetch(url!, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: payload })
    const answered = await call(body!)
    const answer = (await answered.json()) as { release: string }
    expect(answered.status, JSON.stringify(answer)).toBe(200)
    await expect(verifyRelease(answer.release, { jwks: (await (await fetch(jwks!)).json()) as never })).resolves.toBeDefined()
    // the public list names the examples' provider by its registered name
    const listed = (await (await fetch(url!.replace(/\/v1\/products\/.*$/, '/v1/products'))).json()) as { products: { partnerName: string | null }[] }
    expect(listed.products.length).toBeGreaterThan(5)
    for (const p of listed.products) expect(p.partnerName).toBe('示例合作方（演示数据）')
    // control: the printed code is a real one, checked as such
    const uscc = (JSON.parse(body!) as { input: { uscc: string } }).input.uscc
    const typo = uscc.slice(0, -1) + (uscc.endsWith('0') ? '1' : '0')
    expect((await call(JSON.stringify({ input: { uscc: typo } }))).status).toBe(400)
  })
})
