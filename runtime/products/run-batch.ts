/**
 * A dataset or report, run so that the runtime owns disclosure control (docs/disclosure-control.md):
 *
 * 1. the scenario's tables, through the gate, grouped by the product's statistical unit;
 * 2. `classify` in the sandbox, once per unit, each unit an execution of its own;
 * 3. its contributions read against the declaration; each aggregate reduced here, from the units'
 *    contributions, and protected (disclosure rules, or differential privacy where the operator
 *    requires it, its budget spent first, atomically);
 * 4. the cells audited against what this consumer received before, withheld further where a
 *    withheld cell or a small group would become derivable;
 * 5. rows released only where the operator allows, pseudonymous to the consumer, k-anonymous;
 * 6. `run` in the sandbox over the released results alone;
 * and the reviewers' report of all of it. The scenario is checked before any data is read and
 * again after the run.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import { RuntimeError } from '../errors.ts'
import { encryptedTables, type HeRuntime } from '../he/encrypted-tables.ts'
import type { ReleaseReason } from '../release/check-release.ts'
import { auditCells, type AuditedCell, type ReleaseCells } from '../release/cell-audit.ts'
import { protectIntervals, type IntervalVerdict } from '../release/protection-intervals.ts'
import { computeDeclaredAggregate, populationOf } from '../release/declared-aggregate.ts'
import { unitKind } from '../release/unit-ids.ts'
import { privatizeSummaries, protectSummaries, summarizeContributions, topCount, type CellSummary, type ProtectedAggregate } from '../release/protect-aggregate.ts'
import type { ReleasePolicy } from '../release/release-policy.ts'
import { aggregateItems, limitItems, rowItems, type ReportItem } from '../release/release-report.ts'
import { releaseRows } from '../release/row-release.ts'
import { parseContributions, type ParsedContributions } from '../release/unit-contributions.ts'
import type { UnitGrouping } from '../entity/unit-tables.ts'
import type { DataGate } from '../scenarios/data-gate.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import type { SandboxPool } from '../sandbox/sandbox-pool.ts'
import type { WireTable } from '../sandbox/wire.ts'
import { checkInput, classifyUnits, finishBatch, type LoadedProduct } from './run-product.ts'

/** The ledger's side of a batch run: what the consumer received before, and its privacy budget. */
export type BatchLedger = {
  /** Cells earlier releases gave this consumer, and cells they withheld, for one kind of unit. */
  cellHistory(consumer: string, kind: string): Promise<{ readonly released: readonly AuditedCell[]; readonly withheld: readonly AuditedCell[] }>
  /** Spends ε of the consumer's budget for the scenario, atomically; refuses (ERR_PRIVACY_BUDGET_EXHAUSTED) when it would go over. Returns what remains. */
  spendPrivacy(spend: { readonly consumer: string; readonly scenario: string; readonly epsilon: number; readonly budget: number; readonly periodDays: number }): Promise<number>
}

export type BatchRunRequest = {
  readonly pool: SandboxPool
  readonly gate: DataGate
  readonly catalog: Catalog
  readonly ledger: BatchLedger
  readonly product: LoadedProduct
  readonly scenarioId: string
  readonly consumer: string
  readonly input: unknown
  readonly asOf: string
  readonly policy: ReleasePolicy
  /** The release this run becomes (cell ids, decryption approvals). */
  readonly releaseId: string
  readonly he?: HeRuntime
}


export type BatchRun = {
  readonly output: unknown
  readonly logs: readonly string[]
  readonly report: readonly ReportItem[]
  /** Reasons to refuse the release that the runtime found on the way (row-level not approved). */
  readonly reasons: readonly ReleaseReason[]
  readonly cells?: ReleaseCells
  /** Identifiers the operator approved for release (row-level, public-interest). */
  readonly allowedIdentifiers: readonly string[]
  /** Under differential privacy: ε this release spent and what remains of the consumer's budget. */
  readonly privacy?: { readonly epsilon: number; readonly remaining: number }
}

function encryptedAsReleased(table: WireTable): unknown {
  const col = (name: string) => table.columns[name]
  const group = col('group') as Extract<WireTable['columns'][string], { kind: 'text' }>
  const number = (name: string, i: number) => {
    const c = col(name)
    return c?.kind === 'number' ? c.values[i]! : NaN
  }
  const suppressedColumn = col('suppressed') as Extract<WireTable['columns'][string], { kind: 'text' }> | undefined
  const cells: unknown[] = []
  let suppressed = 0
  for (let i = 0; i < table.length; i++) {
    const withheld = suppressedColumn !== undefined && suppressedColumn.codes[i]! >= 0 && suppressedColumn.dictionary[suppressedColumn.codes[i]!] !== ''
    if (withheld) {
      suppressed++
      continue
    }
    const values: Record<string, number> = {}
    for (const m of ['sum', 'mean']) if (!Number.isNaN(number(m, i))) values[m] = number(m, i)
    cells.push({ by: { group: group.dictionary[group.codes[i]!] ?? '' }, count: number('count', i), values })
  }
  return { cells, suppressed }
}

export async function runBatch(r: BatchRunRequest): Promise<BatchRun> {
  const { product, gate } = r
  const manifest = product.manifest
  if (manifest.kind === 'api') throw new RuntimeError('ERR_PARAMS_INVALID', 'A one-entity product is invoked, not run')
  // a malformed input is refused before any data is touched
  const inputJson = checkInput(product, r.input)
  const scenario = await gate.usable(r.scenarioId)
  const logs: string[] = []
  const report: ReportItem[] = []
  const reasons: ReleaseReason[] = []
  const aggregates: Record<string, unknown> = {}
  let rows: unknown = null
  let units: number | null = 0
  let cells: ReleaseCells | undefined
  let allowedIdentifiers: readonly string[] = []
  let privacy: BatchRun['privacy']

  if (manifest.unit !== undefined) {
    const kind = unitKind(r.catalog, manifest.unit, scenario.keys[manifest.unit]!)
    const specs = Object.entries(manifest.aggregates ?? {})
    const declared = specs.filter(([, a]) => a.from !== undefined)
    const needsClassify = manifest.rows !== undefined || specs.some(([, a]) => a.from === undefined)
    const summaries = new Map<string, readonly CellSummary<number>[]>()
    let population: readonly number[] = []
    let classified: { readonly grouping: UnitGrouping; readonly contributions: ParsedContributions } | undefined

    if (needsClassify) {
      const { grouping, dataKey } = await gate.unitTables(r.scenarioId, manifest.unit)
      const ran = await classifyUnits(r.pool, product, inputJson, grouping.units, r.asOf, dataKey)
      logs.push(...ran.logs)
      const contributions = parseContributions(manifest, ran.results, grouping.keys.length)
      const ids = grouping.ids
      population = Array.from(ids)
      for (const [name, spec] of specs) {
        if (spec.from !== undefined) continue
        summaries.set(name, summarizeContributions(spec, contributions.aggregates.get(name) ?? [], r.policy).map((c) => ({ ...c, units: c.units.map((u) => ids[u]!) })))
      }
      classified = { grouping, contributions }
    }
    if (declared.length > 0 || !needsClassify) {
      // declared aggregates: computed in the database, no partner code per unit
      await gate.withUnitView(r.scenarioId, manifest.unit, async (unitView) => {
        for (const [name, spec] of declared) summaries.set(name, await computeDeclaredAggregate(unitView, spec, r.input, topCount(r.policy)))
        if (!needsClassify) population = await populationOf(unitView)
      })
    }
    units = population.length
    const protectedAggregates = await protect(r, scenario, summaries)
    privacy = protectedAggregates.privacy

    // the audit across releases (statistical disclosure control only: differential privacy composes)
    const current = { released: [] as AuditedCell[], withheld: [] as AuditedCell[] }
    for (const [name, p] of protectedAggregates.protected) {
      for (const m of p.members) if (m.units.length > 0) current.released.push({ id: `${r.releaseId}/${name}/${m.key}`, units: m.units })
      for (const m of p.withheld) current.withheld.push({ id: `${r.releaseId}/${name}/${m.key}`, units: m.units })
    }
    // the number of units scanned is released too: a margin over every unit
    current.released.push({ id: `${r.releaseId}/units`, units: population })
    let secondary = new Set<string>()
    let exposedEarlier = 0
    let intervals: IntervalVerdict | undefined
    if (protectedAggregates.privacy === undefined) {
      const history = await r.ledger.cellHistory(r.consumer, kind)
      // nothing withheld or small may become derivable; then every withheld count keeps its interval
      const verdict = auditCells({ history, current, minCount: r.policy.minCount })
      secondary = new Set(verdict.secondary)
      exposedEarlier = verdict.exposedEarlier
      intervals = await protectIntervals({ history, current: { released: current.released.filter((c) => !secondary.has(c.id)), withheld: current.withheld }, range: r.policy.protectionRange })
      for (const id of intervals.secondary) secondary.add(id)
    }
    let cellsTotal = 0
    let releasedTotal = 0
    const withheldTotals: Record<string, number> = {}
    let zeros = 0
    let classDisclosures = 0
    for (const [name, p] of protectedAggregates.protected) {
      const kept = p.released.cells.filter((_, i) => !secondary.has(`${r.releaseId}/${name}/${p.members[i]?.key}`))
      const dropped = p.released.cells.length - kept.length
      aggregates[name] = { ...p.released, cells: kept, suppressed: p.released.suppressed + dropped }
      cellsTotal += p.report.cells
      releasedTotal += kept.length
      for (const [rule, n] of Object.entries(p.report.withheld)) withheldTotals[rule] = (withheldTotals[rule] ?? 0) + n
      zeros += p.report.zeros
      classDisclosures += p.report.classDisclosures
    }
    if (secondary.has(`${r.releaseId}/units`)) units = null
    cells = {
      kind,
      released: current.released.filter((c) => !secondary.has(c.id)),
      withheld: [...current.withheld, ...current.released.filter((c) => secondary.has(c.id))],
    }
    report.push(
      ...aggregateItems({
        tables: protectedAggregates.protected.size,
        cells: cellsTotal,
        released: releasedTotal,
        withheld: withheldTotals,
        zeros,
        classDisclosures,
        secondary: secondary.size - (intervals?.secondary.length ?? 0),
        exposedEarlier,
        ...(intervals === undefined ? {} : { intervals: { checked: intervals.intervals.length, secondary: intervals.secondary.length, narrowedEarlier: intervals.narrowedEarlier, unchecked: intervals.unchecked, range: r.policy.protectionRange } }),
        ...(protectedAggregates.privacy === undefined ? {} : { privacy: protectedAggregates.privacy }),
      }),
    )

    if (manifest.rows !== undefined && classified !== undefined) {
      const { grouping, contributions } = classified
      const released = releaseRows({
        spec: manifest.rows,
        rows: contributions.rows,
        keys: grouping.keys,
        consumer: r.consumer,
        rowLevel: scenario.release.rowLevel,
        secret: await gate.scenarioSecret(r.scenarioId),
        minCount: r.policy.minCount,
      })
      if ('refused' in released) {
        reasons.push({ code: released.refused })
        rows = { rows: [], withheld: contributions.rows.size }
      } else {
        rows = { rows: released.rows, withheld: released.withheld }
        allowedIdentifiers = released.identifiers
        report.push(...rowItems({ released: released.rows.length, withheld: released.withheld, identifiers: scenario.release.rowLevel?.identifiers === true, quasi: manifest.rows.quasi.length }))
      }
    }
  }

  // encrypted aggregates: computed over ciphertexts, only released groups decrypted
  for (const [name, table] of await encryptedTables(r.he, scenario, manifest, { id: r.releaseId, consumer: r.consumer })) aggregates[name] = encryptedAsReleased(table)
  report.push(...limitItems())

  const ran = await finishBatch(r.pool, product, inputJson, JSON.stringify({ units, aggregates, rows }), r.asOf)
  logs.push(...ran.logs)
  // an approval revoked or expired meanwhile releases nothing
  await gate.usable(r.scenarioId)
  return { output: ran.output, logs, report, reasons, ...(cells === undefined ? {} : { cells }), allowedIdentifiers, ...(privacy === undefined ? {} : { privacy }) }
}

/** Every declared aggregate protected: by the disclosure rules, or by noise (its budget spent first). */
async function protect(
  r: BatchRunRequest,
  scenario: Scenario,
  summaries: ReadonlyMap<string, readonly CellSummary<number>[]>,
): Promise<{ readonly protected: Map<string, ProtectedAggregate<number>>; readonly privacy?: { readonly epsilon: number; readonly remaining: number } }> {
  const out = new Map<string, ProtectedAggregate<number>>()
  const specs = Object.entries(r.product.manifest.aggregates ?? {})
  const privacy = scenario.release.privacy
  if (privacy === null || specs.length === 0) {
    for (const [name, spec] of specs) out.set(name, protectSummaries(spec, summaries.get(name) ?? [], r.policy))
    return { protected: out }
  }
  const remaining = await r.ledger.spendPrivacy({ consumer: r.consumer, scenario: scenario.id, epsilon: privacy.epsilon, budget: privacy.budget, periodDays: privacy.periodDays })
  for (const [name, spec] of specs) out.set(name, privatizeSummaries(spec, summaries.get(name) ?? [], { epsilon: privacy.epsilon / specs.length }))
  return { protected: out, privacy: { epsilon: privacy.epsilon, remaining } }
}
