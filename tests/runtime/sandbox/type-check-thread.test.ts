/**
 * The server's type check of an upload runs on a thread of its own: the serving event loop keeps
 * turning while TypeScript works, and a check that runs past its time or memory (types a hostile
 * partner wrote to stall the checker) is ended and refused as the product's fault. Controls: a
 * correct product passes, a type error names its file:line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { typeCheckThread } from '../../../runtime/sandbox/type-check-thread.ts'

let dir: string
const correct = () => join(dir, 'correct')
const wrong = () => join(dir, 'wrong')

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'indomain-type-thread-'))
  cpSync('products/enterprise-credit-score', correct(), { recursive: true })
  cpSync('products/enterprise-credit-score', wrong(), { recursive: true })
  writeFileSync(join(wrong(), 'helper.ts'), "export const n: number = 'not a number'\n")
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the type-check thread', () => {
  it('passes a correct product and names a type error\'s file and line, while the event loop keeps turning', async () => {
    const thread = typeCheckThread()
    try {
      let turns = 0
      const ticking = setInterval(() => turns++, 1)
      await thread.check(correct())
      clearInterval(ticking)
      // a synchronous check would have held the loop for all of it: not one turn
      expect(turns).toBeGreaterThan(0)
      writeFileSync(join(wrong(), 'product.ts'), `import './helper.ts'\n${await import('node:fs').then((fs) => fs.readFileSync(join(correct(), 'product.ts'), 'utf8'))}`)
      await expect(thread.check(wrong())).rejects.toMatchObject({ code: 'ERR_PRODUCT_INVALID', details: { problems: [{ path: 'helper.ts:1', problem: expect.stringContaining('number') }] } })
    } finally {
      await thread.close()
    }
  }, 120_000)

  it('ends a check that runs past its time and refuses it as the product\'s, again on the next check', async () => {
    const thread = typeCheckThread({ timeoutMs: 1, memoryMb: 512 })
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(thread.check(correct())).rejects.toMatchObject({ code: 'ERR_PRODUCT_INVALID', blame: 'partner', details: { problems: [{ path: 'product.ts', problem: expect.stringContaining('longer than') }] } })
      }
    } finally {
      await thread.close()
    }
  }, 120_000)

  it('ends a check that needs more memory than it may use', async () => {
    const thread = typeCheckThread({ timeoutMs: 120_000, memoryMb: 4 })
    try {
      await expect(thread.check(correct())).rejects.toMatchObject({ code: 'ERR_PRODUCT_INVALID', details: { problems: [{ path: 'product.ts', problem: expect.stringContaining('MB') }] } })
    } finally {
      await thread.close()
    }
  }, 120_000)
})
