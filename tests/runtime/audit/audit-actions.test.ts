import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS } from '../../../runtime/audit/index.ts'

/** Every TypeScript file of the runtime, the console's bundle left out. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name === 'dist' || name === 'node_modules') return []
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') || path.endsWith('.tsx') ? [path] : []
  })
}

describe('the audit action catalogue', () => {
  const doc = readFileSync(new URL('../../../docs/audit-actions.md', import.meta.url), 'utf8')
  const documented = [...doc.matchAll(/^\| `([a-z_.]+)` \| (.+) \|$/gm)].map((m) => ({ action: m[1]!, meaning: m[2]! }))

  it('documents every action with its meaning, and nothing else', () => {
    expect(documented.map((d) => d.action).sort()).toEqual(Object.keys(AUDIT_ACTIONS).sort())
    for (const d of documented) expect(d.meaning, d.action).toBe(AUDIT_ACTIONS[d.action as keyof typeof AUDIT_ACTIONS])
  })

  it('is the only place action names come from: no literal action outside it', () => {
    const root = new URL('../../../runtime/', import.meta.url).pathname
    const known = new Set(Object.keys(AUDIT_ACTIONS))
    const strays: string[] = []
    for (const file of sources(root)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) if (!known.has(m[1]!)) strays.push(`${file}: ${m[1]}`)
    }
    expect(strays).toEqual([])
  })
})
