/**
 * Which file defines which top-level command: `indomain <name> …` loads only the file that defines
 * `<name>` (a command starts without compiling the whole runtime); help and unknown names load all.
 * tests/runtime/cli/command-modules.test.ts keeps this table in step with what each file registers.
 */
import type { Command } from 'commander'

export type CommandModule = { readonly names: readonly string[]; load(): Promise<(program: Command) => void> }

export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['start'], load: async () => (await import('./start-command.ts')).registerStartCommand },
  { names: ['catalog'], load: async () => (await import('./catalog-commands.ts')).registerCatalogCommands },
  { names: ['dev'], load: async () => (await import('./dev-command.ts')).registerDevCommand },
  { names: ['new'], load: async () => (await import('./new-command.ts')).registerNewCommand },
  { names: ['hash'], load: async () => (await import('./hash-command.ts')).registerHashCommand },
  { names: ['scenario'], load: async () => (await import('./scenario-commands.ts')).registerScenarioCommands },
  { names: ['verify', 'keys', 'review'], load: async () => (await import('./release-commands.ts')).registerReleaseCommands },
  { names: ['run'], load: async () => (await import('./run-command.ts')).registerRunCommand },
  { names: ['audit'], load: async () => (await import('./audit-commands.ts')).registerAuditCommands },
  { names: ['serve', 'consumer', 'product'], load: async () => (await import('./serve-commands.ts')).registerServeCommands },
  { names: ['consent'], load: async () => (await import('./consent-commands.ts')).registerConsentCommands },
  { names: ['token'], load: async () => (await import('./token-commands.ts')).registerTokenCommands },
  { names: ['he'], load: async () => (await import('./he-commands.ts')).registerHeCommands },
]

/** The modules a command line needs: the one defining its first word, or all of them. */
export function modulesFor(argv: readonly string[]): readonly CommandModule[] {
  const first = argv[2]
  const named = COMMAND_MODULES.filter((m) => first !== undefined && m.names.includes(first))
  return named.length > 0 ? named : COMMAND_MODULES
}
