import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RUNTIME_ERROR_CODES, RuntimeError } from '../../runtime/errors.ts'

describe('the error catalogue', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
  const documented = [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \| (\d{3}) \| (\w+) \|/gm)].map((m) => ({
    code: m[1]!,
    status: Number(m[2]),
    blame: m[3]!,
  }))

  it('documents every code with its status and blame, and nothing else', () => {
    expect(documented.map((d) => d.code).sort()).toEqual([...RUNTIME_ERROR_CODES].sort())
    for (const d of documented) {
      const error = new RuntimeError(d.code as (typeof RUNTIME_ERROR_CODES)[number], 'x')
      expect({ status: error.status, blame: error.blame }, d.code).toEqual({ status: d.status, blame: d.blame })
    }
  })

  it('serializes only the code, the fixed message and operator-safe details, never the cause', () => {
    const error = new RuntimeError('ERR_IMPORT_INVALID', 'rejected', { cause: new Error('secret 110101199003078515'), details: { table: 't' } })
    const json = JSON.stringify(error)
    expect(JSON.parse(json)).toEqual({ code: 'ERR_IMPORT_INVALID', message: 'rejected', details: { table: 't' } })
    expect(json).not.toContain('110101199003078515')
  })
})
