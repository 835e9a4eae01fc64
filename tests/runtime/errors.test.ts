import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { clientDetailsOf, fixedMessageOf, RUNTIME_ERROR_CODES, RuntimeError, type RuntimeErrorCode } from '../../runtime/errors.ts'

describe('the error catalogue', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
  const documented = [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \| (\d{3}) \| (\w+) \| ([^|]+) \|/gm)].map((m) => ({
    code: m[1]!,
    status: Number(m[2]),
    blame: m[3]!,
    shows: [...m[4]!.matchAll(/`(\w+)`/g)].map((s) => s[1]!),
    says: /"([^"]+)"/.exec(m[4]!)?.[1],
  }))

  it('documents every code with its status and blame, and nothing else', () => {
    expect(documented.map((d) => d.code).sort()).toEqual([...RUNTIME_ERROR_CODES].sort())
    for (const d of documented) {
      const error = new RuntimeError(d.code as (typeof RUNTIME_ERROR_CODES)[number], 'x')
      expect({ status: error.status, blame: error.blame }, d.code).toEqual({ status: d.status, blame: d.blame })
      expect(d.shows, `${d.code}: what a client sees`).toEqual(['message', ...clientDetailsOf(d.code as RuntimeErrorCode)])
      expect(d.says, `${d.code}: the catalogue's own message`).toBe(fixedMessageOf(d.code as RuntimeErrorCode))
    }
  })

  it('gives failures that could depend on the data one fixed message per code, and no details', () => {
    for (const code of ['ERR_ENTITY_NOT_FOUND', 'ERR_CONSENT_REQUIRED', 'ERR_SANDBOX_TIMEOUT', 'ERR_SANDBOX_MEMORY', 'ERR_SANDBOX_OUTPUT_TOO_LARGE', 'ERR_SANDBOX_INVALID_OUTPUT', 'ERR_AUTH_REQUIRED', 'ERR_DECRYPTION_REFUSED', 'ERR_INTERNAL'] as const) {
      expect(fixedMessageOf(code), code).toEqual(expect.any(String))
      expect(clientDetailsOf(code), code).toEqual([])
    }
    expect(clientDetailsOf('ERR_RELEASE_REFUSED')).toEqual(['reasons'])
    // positive control: a rule's own message is shown where it names nothing of the data
    expect(fixedMessageOf('ERR_PARAMS_INVALID')).toBeUndefined()
  })

  it('serializes only the code, the fixed message and operator-safe details, never the cause', () => {
    const error = new RuntimeError('ERR_IMPORT_INVALID', 'rejected', { cause: new Error('secret 110101199003078515'), details: { table: 't' } })
    const json = JSON.stringify(error)
    expect(JSON.parse(json)).toEqual({ code: 'ERR_IMPORT_INVALID', message: 'rejected', details: { table: 't' } })
    expect(json).not.toContain('110101199003078515')
  })
})
