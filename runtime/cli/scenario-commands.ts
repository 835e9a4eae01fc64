/** `indomain scenario request | list | show | approve | deny | revoke` — 一场景一审核 on the command line. */
import { readFileSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import Table from 'cli-table3'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { LEVEL_LABELS, type MaskRule } from '../../catalog/classification.ts'
import { loadConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { bundleProduct } from '../sandbox/bundle-product.ts'
import { createSandboxPool } from '../sandbox/sandbox-pool.ts'
import { loadProduct } from '../products/run-product.ts'
import type { ScenarioStore } from '../scenarios/scenario-store.ts'
import { withState } from '../state/state.ts'
import { scenarioRequestOf } from '../scenarios/dev-approval.ts'
import type { RowFilter, Scenario, ScenarioRequestInput } from '../scenarios/scenario.ts'
import { describeMask } from './catalog-commands.ts'
import { actingPrincipal, withTokenOption } from './cli-principal.ts'
import { cliGovernance } from './cli-governance.ts'

/** `rule[:arg]`: keep, pseudonym, drop, partial[:start:end], generalize:year|month|age_band|district|compound, bucketize:b1,b2,… */
export function parseMask(text: string): MaskRule {
  const [rule, ...args] = text.split(':')
  switch (rule) {
    case 'keep':
    case 'pseudonym':
    case 'drop':
      return { rule }
    case 'partial':
      return args.length === 0 ? { rule } : { rule, keepStart: Number(args[0]), keepEnd: Number(args[1] ?? 0) }
    case 'generalize':
      return { rule, to: args[0] as Extract<MaskRule, { rule: 'generalize' }>['to'] }
    case 'bucketize':
      return { rule, bounds: (args[0] ?? '').split(',').map(Number) }
    default:
      throw new InvalidArgumentError(`unknown mask "${text}"`)
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

function splitAssignment(text: string): [string, string] {
  const i = text.indexOf('=')
  if (i <= 0) throw new InvalidArgumentError(`expected table.field=value, got "${text}"`)
  return [text.slice(0, i), text.slice(i + 1)]
}

async function withScenarios<T>(work: (store: ScenarioStore) => Promise<T>): Promise<T> {
  return withState(loadConfig().stateDatabase, (state) => work(state.scenarios))
}

export function registerScenarioCommands(program: Command): void {
  const scenario = program.command('scenario').description('scenario requests and field-by-field approvals (一场景一审核)')

  withTokenOption(
    scenario
      .command('request')
      .description('file a scenario request from a product\'s declaration (--product) or a JSON file (--file), as the partner whose token is given')
      .option('--product <dir>', 'a product folder: its declared scenario is requested')
      .option('--file <request.json>', 'a request: { product?, purpose, category, tables }')
      .option('--partner <id>', 'with an operator\'s token: the partner it is filed for'),
  ).action(async (options: { product?: string; file?: string; partner?: string; token?: string }) => {
      const holder = await actingPrincipal(loadConfig(), ['partner', 'operator'], options, 'scenario request')
      // a partner files in its own name; an operator may file for a partner it names
      if (holder.role === 'operator' && options.partner === undefined) throw new RuntimeError('ERR_PARAMS_INVALID', 'An operator files a request for a partner: name it with --partner')
      if (holder.role === 'partner' && options.partner !== undefined && options.partner !== holder.id) throw new RuntimeError('ERR_FORBIDDEN', 'A partner files scenarios in its own name only')
      const partner = { id: holder.role === 'partner' ? holder.id : options.partner! }
      let request: ScenarioRequestInput
      if (options.file !== undefined) {
        try {
          request = JSON.parse(readFileSync(options.file, 'utf8')) as ScenarioRequestInput
        } catch (cause) {
          throw new RuntimeError('ERR_SCENARIO_INVALID', 'The request file is not valid JSON', { cause })
        }
        if (request.partner !== undefined && request.partner !== partner.id) throw new RuntimeError('ERR_FORBIDDEN', 'A partner files scenarios in its own name only')
        request = { ...request, partner: partner.id }
      } else if (options.product !== undefined) {
        const pool = createSandboxPool({ workers: 1 })
        try {
          const product = await loadProduct(pool, await bundleProduct(options.product))
          request = scenarioRequestOf(product.manifest, partner.id)
        } finally {
          await pool.close()
        }
      } else {
        throw new RuntimeError('ERR_PARAMS_INVALID', 'Give --product or --file')
      }
      const created = await cliGovernance(loadConfig(), (governance) => governance.requestScenario(holder.id, request))
      process.stdout.write(`${created.id}\n`)
    })

  scenario
    .command('list')
    .description('list scenarios with their status and expiry')
    .action(async () => {
      const all = await withScenarios((s) => s.list())
      const table = new Table({ head: ['id', 'partner', 'product', 'category', 'status', 'fields (approved/requested)', 'expires'], style: { head: [], border: [] } })
      for (const s of all) {
        table.push([s.id, s.partner, s.product ?? '—', s.category, s.status, `${s.fields.filter((f) => f.decision === 'approved').length}/${s.fields.length}`, s.expiresOn ?? '—'])
      }
      process.stdout.write(`${table.toString()}\n`)
    })

  scenario
    .command('show <id>')
    .description('a scenario field by field: level, identifier kind, justification, decision, mask; and its history')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const s = await withScenarios((store) => store.get(id))
      process.stdout.write(options.json === true ? `${JSON.stringify(s, null, 2)}\n` : renderScenario(s))
    })

  withTokenOption(
    scenario
      .command('approve <id>')
      .description('approve a scenario field by field (masks per field; the rest with defaults when --defaults), as the operator whose token is given')
      .requiredOption('--expires <date>', 'last day of validity, YYYY-MM-DD')
      .option('--defaults', 'approve every field not named with its catalog default mask')
      .option('--mask <table.field=rule>', 'approve a field with a mask (repeatable)', collect)
      .option('--deny <table.field=reason>', 'deny a field with a reason (repeatable)', collect)
      .option('--filter <table.field=v1,v2>', 'only rows whose field is one of the values (repeatable)', collect)
      .option('--key <table=field>', 'the key field a one-entity product looks a table up by, when the request set none or another (repeatable)', collect),
  ).action(async (id: string, options: { expires: string; token?: string; defaults?: boolean; mask?: string[]; deny?: string[]; filter?: string[]; key?: string[] }) => {
      const operator = (await actingPrincipal(loadConfig(), ['operator'], options, 'scenario approve')).id
      const approve: Record<string, MaskRule> = {}
      for (const m of options.mask ?? []) {
        const [name, rule] = splitAssignment(m)
        approve[name] = parseMask(rule)
      }
      const deny: Record<string, string> = {}
      for (const d of options.deny ?? []) {
        const [name, reason] = splitAssignment(d)
        deny[name] = reason
      }
      const rowFilters: Record<string, RowFilter> = {}
      for (const f of options.filter ?? []) {
        const [name, values] = splitAssignment(f)
        const [table, field] = name.split('.') as [string, string]
        rowFilters[table] = { field, values: values.split(',') }
      }
      const keys = Object.fromEntries((options.key ?? []).map(splitAssignment))
      const s = await cliGovernance(loadConfig(), (g) => g.decideScenario(id, { operator, approve, deny, approveRest: options.defaults === true, rowFilters, keys, expiresOn: options.expires }))
      process.stdout.write(renderScenario(s))
    })

  withTokenOption(
    scenario
      .command('deny <id>')
      .description('deny a whole scenario')
      .requiredOption('--reason <text>', 'why'),
  ).action(async (id: string, options: { reason: string; token?: string }) => {
      const operator = (await actingPrincipal(loadConfig(), ['operator'], options, 'scenario deny')).id
      const s = await cliGovernance(loadConfig(), (g) => g.denyScenario(id, operator, options.reason))
      process.stdout.write(`${s.id} ${s.status}\n`)
    })

  withTokenOption(
    scenario
      .command('revoke <id>')
      .description('revoke an approval: its views become unusable at once')
      .requiredOption('--reason <text>', 'why'),
  ).action(async (id: string, options: { reason: string; token?: string }) => {
      const operator = (await actingPrincipal(loadConfig(), ['operator'], options, 'scenario revoke')).id
      const s = await cliGovernance(loadConfig(), (g) => g.revokeScenario(id, operator, options.reason))
      process.stdout.write(`${s.id} ${s.status}\n`)
    })
}

function renderScenario(s: Scenario): string {
  const catalog = loadCatalog(loadConfig().catalogDir)
  const head = `${s.id} · ${s.status} · partner ${s.partner} · product ${s.product ?? '—'} · ${s.category} · expires ${s.expiresOn ?? '—'} · revision ${s.revision}\n用途 ${s.purpose}\n`
  const table = new Table({ head: ['table.field', '中文名', '级别', '标识类型', 'justification', 'decision', 'mask / reason'], style: { head: [], border: [] } })
  for (const f of s.fields) {
    const def = catalog.table(f.table)?.fields.find((x) => x.name === f.field)
    const key = s.keys[f.table] === f.field ? ' (key)' : ''
    table.push([
      `${f.table}.${f.field}${key}`,
      def?.label ?? '?',
      def === undefined ? '?' : `${def.level} ${LEVEL_LABELS[def.level]}`,
      def?.identifier ?? '?',
      f.justification,
      f.decision,
      f.decision === 'approved' ? describeMask(f.mask) : f.decision === 'denied' ? f.reason : '',
    ])
  }
  const filters = Object.entries(s.rowFilters).map(([t, f]) => `${t}.${f.field} ∈ {${f.values.join(', ')}}`)
  // every table's key field (查询键), whether or not it is a requested field
  const tables = [...new Set(s.fields.map((f) => f.table))]
  const keys = tables.map((t) => `${t}.${s.keys[t] ?? '—'}`).join(', ')
  const history = s.history.map((h) => `  ${h.at} ${h.actor} ${h.action}`).join('\n')
  return `${head}${table.toString()}\nkeys (查询键): ${keys}\n${filters.length > 0 ? `row filters: ${filters.join('; ')}\n` : ''}history:\n${history}\n`
}
