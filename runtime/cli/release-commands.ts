/** `indomain verify`, `indomain keys …` and `indomain review …`. */
import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { JSONWebKeySet } from 'jose'
import Table from 'cli-table3'
import { loadConfig } from '../config.ts'
import { openKeys } from '../release/open-keys.ts'
import { verifyRelease } from '../release/signing.ts'
import type { ReleaseStore } from '../release/release-store.ts'
import { withState } from '../state/state.ts'
import { audit } from './audit.ts'
import { actingPrincipal, withTokenOption } from './cli-principal.ts'
import { cliGovernance } from './cli-governance.ts'
import type { Governance } from '../governance/index.ts'
import { readJwks } from './load-jwks.ts'

async function loadJwks(source: string | undefined, dev: boolean): Promise<JSONWebKeySet> {
  if (source === undefined) {
    const config = loadConfig()
    return dev ? { keys: [...openKeys(config, 'production').jwks().keys, ...openKeys(config, 'dev').jwks().keys] } : openKeys(config, 'production').jwks()
  }
  return readJwks(source)
}

export function registerReleaseCommands(program: Command): void {
  program
    .command('verify <release>')
    .description('verify a signed release (a token, or a file holding one): prints the verified payload or why it fails')
    .option('--jwks <file|url>', 'the public keys (default: this installation\'s production keys)')
    .option('--consumer <id>', 'the consumer the release must be for')
    .option('--request <json>', 'the request the release must answer ({product, version, scenario, consumer, input})')
    .option('--dev', 'accept dev releases (from indomain dev)')
    .action(async (release: string, options: { jwks?: string; consumer?: string; request?: string; dev?: boolean }) => {
      const token = existsSync(release) ? readFileSync(release, 'utf8').trim() : release
      const claims = await verifyRelease(token, {
        jwks: await loadJwks(options.jwks, options.dev === true),
        ...(options.consumer === undefined ? {} : { audience: options.consumer }),
        ...(options.request === undefined ? {} : { request: JSON.parse(options.request) as unknown }),
        allowDev: options.dev === true,
      })
      process.stdout.write(`${JSON.stringify({ verified: true, ...claims }, null, 2)}\n`)
    })

  const keys = program.command('keys').description('release signing keys')
  keys
    .command('list')
    .option('--dev', 'the dev keys')
    .action((options: { dev?: boolean }) => {
      const store = openKeys(loadConfig(), options.dev === true ? 'dev' : 'production')
      store.active()
      for (const k of store.list()) process.stdout.write(`${k.kid}\t${k.status}\t${k.createdAt}\n`)
    })
  withTokenOption(keys.command('rotate').description('make a new active key; the old one stays verifiable until archived')).action(async (options: { token?: string }) => {
      const operator = (await actingPrincipal(loadConfig(), ['operator'], options, 'keys rotate')).id
      const kid = openKeys(loadConfig(), 'production').rotate()
      await audit(loadConfig(), { actor: operator, action: 'keys.rotated', subject: kid })
      process.stdout.write(`${kid}\n`)
    })
  withTokenOption(
    keys.command('archive <kid>').description('archive a retired key: its private key is destroyed and releases it signed stop verifying for consumers; the audit trail it signed still verifies'),
  ).action(async (kid: string, options: { token?: string }) => {
      const operator = (await actingPrincipal(loadConfig(), ['operator'], options, 'keys archive')).id
      openKeys(loadConfig(), 'production').archive(kid)
      await audit(loadConfig(), { actor: operator, action: 'keys.archived', subject: kid })
    })
  keys
    .command('jwks')
    .description('print the public keys (JWKS)')
    .action(() => {
      const store = openKeys(loadConfig(), 'production')
      store.active()
      process.stdout.write(`${JSON.stringify(store.jwks(), null, 2)}\n`)
    })

  const review = program.command('review').description('the release review queue (two operators, neither the product\'s partner)')
  const withStore = <T>(work: (s: ReleaseStore) => Promise<T>): Promise<T> => withState(loadConfig().stateDatabase, (state) => work(state.releases))
  const withGovernance = <T>(work: (g: Governance) => Promise<T>): Promise<T> => cliGovernance(loadConfig(), work)
  review
    .command('list')
    .option('--all', 'every release, not only pending ones')
    .action(async (options: { all?: boolean }) => {
      const list = await withStore((s) => s.list(options.all === true ? {} : { status: 'pending' }))
      const table = new Table({ head: ['release', 'product', 'consumer', 'kind', 'status', 'approvals', 'created'], style: { head: [], border: [] } })
      for (const r of list) {
        table.push([r.releaseId, `${r.product}@${r.version}`, r.consumer, r.kind, r.status, `${r.decisions.filter((d) => d.decision === 'approve').length}/${r.reviewersNeeded}`, r.createdAt])
      }
      process.stdout.write(`${table.toString()}\n`)
    })
  review
    .command('show <release>')
    .description('the automatic report, the output summary and the decisions so far')
    .action(async (releaseId: string) => {
      const { record, result } = await withStore(async (s) => ({ record: await s.get(releaseId), result: await s.resultOf(releaseId) }))
      process.stdout.write(`${JSON.stringify({ ...record, output: result ?? null }, null, 2)}\n`)
    })
  withTokenOption(review.command('approve <release>').description('approve a queued release, as the operator whose token is given')).action(
    async (releaseId: string, options: { token?: string }) => {
      const operator = (await actingPrincipal(loadConfig(), ['operator'], options, 'review approve')).id
      const outcome = await withGovernance((g) => g.reviewRelease(releaseId, operator, 'approve'))
      process.stdout.write(outcome.token === undefined ? `${releaseId} ${outcome.record.status}: waiting for another reviewer\n` : `${releaseId} released\n${outcome.token}\n`)
    },
  )
  withTokenOption(review.command('reject <release>').description('reject a queued release, as the operator whose token is given').requiredOption('--reason <text>', 'why')).action(
    async (releaseId: string, options: { token?: string; reason: string }) => {
      const operator = (await actingPrincipal(loadConfig(), ['operator'], options, 'review reject')).id
      const outcome = await withGovernance((g) => g.reviewRelease(releaseId, operator, 'reject', options.reason))
      process.stdout.write(`${releaseId} ${outcome.record.status}\n`)
    },
  )
}
