/**
 * `indomain token issue`: a platform token for a partner, operator or auditor, signed with the
 * platform key. It bootstraps the first operator; after that, operators issue tokens over HTTP
 * (`POST /v1/operator/tokens`). Whether the holder may still act is checked on every request
 * against its record, so this command needs no access to the state and works while a server runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander'
import { loadConfig } from '../config.ts'
import { PLATFORM_ROLES, type PlatformRole } from '../state/principals.ts'
import { cliGovernance } from './cli-governance.ts'

const UNIT_SECONDS = { m: 60, h: 3600, d: 86_400 } as const

/** `90m`, `12h`, `30d`, or a number of seconds. */
export function parseLifetime(text: string): number {
  const m = /^(\d{1,7})([mhd]?)$/.exec(text.trim())
  if (m === null) throw new InvalidArgumentError('a lifetime is like 90m, 12h or 30d')
  return Number(m[1]) * (m[2] === '' ? 1 : UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS])
}

export function registerTokenCommands(program: Command): void {
  program
    .command('token')
    .description('platform tokens for partners, operators and auditors')
    .command('issue')
    .description('issue a platform token (printed once; it is not stored)')
    .addOption(new Option('--role <role>', 'whose token').choices([...PLATFORM_ROLES]).makeOptionMandatory())
    .requiredOption('--subject <id>', 'the holder\'s id (lower case letters, digits, dashes)')
    .option('--ttl <lifetime>', 'how long it lives (at most 90d)', parseLifetime, 12 * 3600)
    .action(async (options: { role: PlatformRole; subject: string; ttl: number }) => {
      const config = loadConfig()
      // the holder of the platform key is the root of trust: no token is needed to issue one
      const token = await cliGovernance(config, (governance) => governance.issueToken('cli', options.role, options.subject, options.ttl))
      process.stdout.write(`${token}\n`)
    })
}
