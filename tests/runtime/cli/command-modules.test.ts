/**
 * The command line loads only the file of the command asked for: the table of which file defines
 * which top-level command must match what each file registers, or a command would go missing.
 */
import { describe, expect, it } from 'vitest'
import { Command } from 'commander'
import { COMMAND_MODULES, modulesFor } from '../../../runtime/cli/command-modules.ts'

describe('the command table', () => {
  it('names exactly the top-level commands each file registers, each once', async () => {
    for (const m of COMMAND_MODULES) {
      const program = new Command()
      ;(await m.load())(program)
      expect(program.commands.map((c) => c.name()).sort(), m.names.join(',')).toEqual([...m.names].sort())
    }
    const all = COMMAND_MODULES.flatMap((m) => m.names)
    expect(new Set(all).size).toBe(all.length)
  })

  it('loads one file for a named command, all of them for help or an unknown word', () => {
    expect(modulesFor(['node', 'indomain', 'keys', 'jwks']).map((m) => m.names)).toEqual([['verify', 'keys', 'review']])
    expect(modulesFor(['node', 'indomain', '--help'])).toHaveLength(COMMAND_MODULES.length)
    expect(modulesFor(['node', 'indomain'])).toHaveLength(COMMAND_MODULES.length)
    expect(modulesFor(['node', 'indomain', 'no-such-command'])).toHaveLength(COMMAND_MODULES.length)
  })
})
