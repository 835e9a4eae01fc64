/** `indomain audit verify | tail`: the auditors' view of the trail. */
import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { JSONWebKeySet } from 'jose'
import { loadConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { verifyAuditFile } from '../audit/index.ts'
import { openKeys } from '../release/open-keys.ts'

export function registerAuditCommands(program: Command): void {
  const auditCommand = program.command('audit').description('the tamper-evident audit trail')
  auditCommand
    .command('verify')
    .description('verify the hash chain and signed checkpoints; names the first changed, removed, inserted or reordered entry')
    .option('--file <path>', 'the audit file (default: this installation\'s)')
    .option('--jwks <file>', 'the platform public keys (default: this installation\'s)')
    .action((options: { file?: string; jwks?: string }) => {
      const config = loadConfig()
      const file = options.file ?? config.auditPath
      if (!existsSync(file)) throw new RuntimeError('ERR_PARAMS_INVALID', 'There is no audit file yet', { details: { file } })
      const jwks = options.jwks === undefined ? openKeys(config, 'production').jwks() : (JSON.parse(readFileSync(options.jwks, 'utf8')) as JSONWebKeySet)
      const verdict = verifyAuditFile(file, jwks)
      process.stdout.write(`${JSON.stringify(verdict, null, 2)}\n`)
      if (!verdict.ok) process.exitCode = 1
    })
  auditCommand
    .command('tail')
    .description('the last entries of the trail')
    .option('-n <count>', 'how many', '20')
    .action((options: { n: string }) => {
      const config = loadConfig()
      if (!existsSync(config.auditPath)) return
      const lines = readFileSync(config.auditPath, 'utf8').split('\n').filter((l) => l !== '')
      for (const line of lines.slice(-Number(options.n))) process.stdout.write(`${line}\n`)
    })
}
