/** `indomain audit verify | tail | export | head`: the auditors' view of the trail. */
import { createWriteStream, existsSync, readFileSync } from 'node:fs'
import { once } from 'node:events'
import type { Command } from 'commander'
import type { JSONWebKeySet } from 'jose'
import { loadConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { openAuditTrail, verifyAuditFile, type AuditTrail } from '../audit/index.ts'
import { openKeys } from '../release/open-keys.ts'
import { withState } from '../state/state.ts'

/** A signed head as given: the JSON of `GET /v1/audit/head` or its signature, inline or in a file. */
function headSignature(given: string): string {
  const text = existsSync(given) ? readFileSync(given, 'utf8').trim() : given.trim()
  if (text.startsWith('{')) {
    try {
      const signature = (JSON.parse(text) as { signature?: unknown }).signature
      if (typeof signature === 'string') return signature
    } catch {
      // not JSON after all: verified as a signature below, and refused as HEAD_INVALID
    }
  }
  return text
}

/** The installation's trail, read-only: works beside a running server. */
function withTrail<T>(work: (trail: AuditTrail) => Promise<T>): Promise<T> {
  const config = loadConfig()
  return withState(config.stateDatabase, (state) => work(openAuditTrail(state.database, { key: openKeys(config, 'production').active() })))
}

export function registerAuditCommands(program: Command): void {
  const auditCommand = program.command('audit').description('the tamper-evident audit trail')
  auditCommand
    .command('verify')
    .description('verify the hash chain and signed checkpoints, and that the trail extends a signed head; names the first changed, removed, inserted or reordered entry')
    .option('--file <path>', 'an exported trail (JSON lines) instead of this installation\'s')
    .option('--head <head>', 'a signed head (GET /v1/audit/head, as JSON or its signature, inline or in a file): the trail must extend it')
    .option('--jwks <file>', 'the platform public keys (default: this installation\'s)')
    .action(async (options: { file?: string; head?: string; jwks?: string }) => {
      const config = loadConfig()
      const jwks = options.jwks === undefined ? openKeys(config, 'production').verificationJwks() : (JSON.parse(readFileSync(options.jwks, 'utf8')) as JSONWebKeySet)
      const head = options.head === undefined ? undefined : headSignature(options.head)
      let verdict
      if (options.file !== undefined) {
        if (!existsSync(options.file)) throw new RuntimeError('ERR_NOT_FOUND', 'There is no such audit file', { details: { file: options.file } })
        verdict = verifyAuditFile(options.file, jwks, head)
      } else {
        verdict = await withState(config.stateDatabase, (state) => openAuditTrail(state.database, { key: openKeys(config, 'production').active() }).verify(jwks, head))
      }
      process.stdout.write(`${JSON.stringify(verdict, null, 2)}\n`)
      if (!verdict.ok) process.exitCode = 1
    })
  auditCommand
    .command('head')
    .description('the trail\'s newest signed head (keep it: `audit verify --head` later proves the trail extends it)')
    .action(() =>
      withTrail(async (trail) => {
        process.stdout.write(`${JSON.stringify((await trail.head()) ?? null)}\n`)
      }),
    )
  auditCommand
    .command('export')
    .description('writes the trail as JSON lines, the form `audit verify --file` checks offline')
    .option('--out <file>', 'where (default: standard output)')
    .action((options: { out?: string }) =>
      withTrail(async (trail) => {
        const out = options.out === undefined ? process.stdout : createWriteStream(options.out, { mode: 0o600 })
        for await (const line of trail.lines()) if (!out.write(`${line}\n`)) await once(out, 'drain')
        if (out !== process.stdout) {
          out.end()
          await once(out, 'finish')
        }
      }),
    )
  auditCommand
    .command('tail')
    .description('the last entries of the trail')
    .option('-n <count>', 'how many', '20')
    .action((options: { n: string }) =>
      withTrail(async (trail) => {
        const { entries } = await trail.read({ order: 'desc', limit: Math.max(1, Math.min(1000, Number(options.n) || 20)) })
        for (const entry of entries.reverse()) process.stdout.write(`${JSON.stringify(entry)}\n`)
      }),
    )
}
