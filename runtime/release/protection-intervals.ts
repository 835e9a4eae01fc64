/**
 * Secondary suppression by protection intervals. Not being exactly derivable is not enough: a
 * withheld count that the released cells pin between 2 and 3 is as good as published. What a
 * consumer can infer of a withheld cell from every cell it holds (this release and earlier ones)
 * is an interval: the least and the greatest value the cell can take over all non-negative
 * populations consistent with the released counts. The runtime computes it by linear programming
 * (HiGHS) over atoms — the classes of units that lie in the same cells (cell-audit.ts) — and
 * requires it to reach `range` units below the true count (or zero) and `range` above it.
 *
 * Any suppression pattern is accepted if every withheld cell has that interval
 * ({@link checkSuppressionPattern}); none is imposed. Where a cell is not protected, the runtime
 * proposes a pattern: it withholds, among the current release's cells that bind the failing bound
 * (non-zero dual), the finest (fewest atoms: an inner cell before the margin that contains it),
 * then the smallest, and checks again ({@link protectIntervals}). Greedy: a pattern, not the
 * least one.
 *
 * The bounds are those of the linear relaxation, as τ-ARGUS computes them: the integer bounds can
 * only be tighter by rounding (at most one unit each side for counts). Counts only: a withheld sum
 * is protected by the same pattern, not by intervals of its own.
 */
import * as highsModule from 'highs'
import type { Highs } from 'highs'
import type { AuditedCell } from './cell-audit.ts'
import { fingerprintOf, unitAtoms } from './cell-audit.ts'

// the package's types describe its CommonJS build; imported as ESM its loader is the default export
const loader = ((highsModule as unknown as { default: { default?: () => Promise<Highs> } & (() => Promise<Highs>) }).default.default ??
  (highsModule as unknown as { default: () => Promise<Highs> }).default) as () => Promise<Highs>

let loading: Promise<Highs> | undefined
/** HiGHS, loaded once (a WebAssembly module in this process; no files, no network). */
const solver = (): Promise<Highs> => (loading ??= loader())

/** A withheld cell's interval as the consumer can infer it: `low`..`high` around its true `value`. */
export type ProtectionInterval = { readonly id: string; readonly value: number; readonly low: number; readonly high: number; readonly protected: boolean }

export type IntervalInput = {
  /** Every cell the consumer holds or will hold: earlier releases' and this one's. */
  readonly released: readonly AuditedCell[]
  /** The withheld cells to check. */
  readonly withheld: readonly AuditedCell[]
  /** Units the interval must reach below (down to zero) and above each withheld count. */
  readonly range: number
}

const EPSILON = 1e-6

/**
 * Linear programs solved per release at most (two per withheld cell checked), and the work they may
 * take: solves × non-zeros of the model. Deterministic budgets, not time limits, so that the same
 * data always gives the same release; withheld cells beyond them are reported as not checked, for
 * the reviewers (the exact audit has covered them).
 */
export const MAX_INTERVAL_SOLVES = 400
export const MAX_INTERVAL_WORK = 2_000_000

/** The released cells as a linear program over atoms, and the withheld cells' objectives. */
class IntervalModel {
  readonly #highs: Highs
  readonly #model: ReturnType<Highs['createModel']>
  readonly #cellAtoms: number[][]
  readonly #atoms: number
  readonly #rows: number
  /** Atoms per released cell: an inner cell has fewer than the margin that contains it. */
  readonly grain: readonly number[]
  /** Non-zeros of the constraint matrix: what one solve costs, roughly. */
  readonly size: number
  solves = 0

  constructor(highs: Highs, released: readonly AuditedCell[], withheld: readonly AuditedCell[]) {
    this.#highs = highs
    const { cellAtoms } = unitAtoms([...released, ...withheld])
    this.#cellAtoms = cellAtoms
    let atoms = 0
    for (const list of cellAtoms) for (const a of list) if (a + 1 > atoms) atoms = a + 1
    this.#atoms = atoms
    this.#rows = released.length
    this.grain = cellAtoms.slice(0, released.length).map((a) => a.length)
    const starts = new Int32Array(this.#rows + 1)
    const indices: number[] = []
    for (let i = 0; i < this.#rows; i++) {
      for (const a of [...cellAtoms[i]!].sort((x, y) => x - y)) indices.push(a)
      starts[i + 1] = indices.length
    }
    this.size = Math.max(1, indices.length)
    const sizes = Float64Array.from(released, (c) => new Set(c.units).size)
    this.#model = highs.createModel({
      numCols: Math.max(1, atoms),
      numRows: this.#rows,
      colCost: new Float64Array(Math.max(1, atoms)),
      colLower: new Float64Array(Math.max(1, atoms)),
      colUpper: new Float64Array(Math.max(1, atoms)).fill(highs.infinity),
      rowLower: sizes,
      rowUpper: sizes,
      matrix: { format: 'csr', numRows: this.#rows, numCols: Math.max(1, atoms), starts, indices: Int32Array.from(indices), values: new Float64Array(indices.length).fill(1) },
    })
    this.#model.options.set('output_flag', false)
    // successive objectives over one model: simplex from the previous basis, no presolve in between
    this.#model.options.set('presolve', 'off')
    this.#model.options.set('solver', 'simplex')
  }

  #solve(target: readonly number[], sense: 'minimize' | 'maximize'): { value: number; duals: Float64Array } {
    this.solves++
    const width = Math.max(1, this.#atoms)
    const cost = new Float64Array(width)
    for (const a of target) cost[a] = 1
    this.#model.changeColsCost({ kind: 'range', from: 0, to: width - 1 }, cost)
    this.#model.changeObjectiveSense(this.#highs.constants.objectiveSense[sense])
    this.#model.run()
    const status = this.#model.getModelStatus()
    if (status === 10 || status === 9) return { value: sense === 'maximize' ? Infinity : -Infinity, duals: new Float64Array(this.#rows) }
    if (status !== 7) throw new Error(`the interval of a withheld cell could not be computed (HiGHS status ${status})`)
    return { value: this.#model.getObjectiveValue(), duals: this.#model.getSolution().rowDual }
  }

  /** The interval of withheld cell `i`, and the released rows that bind a failing bound. */
  check(i: number, cell: AuditedCell, range: number): { interval: ProtectionInterval; binding: number[] } {
    const target = this.#cellAtoms[this.#rows + i]!
    const value = new Set(cell.units).size
    const low = this.#solve(target, 'minimize')
    const high = this.#solve(target, 'maximize')
    const lowOk = low.value <= Math.max(0, value - range) + EPSILON
    const highOk = high.value >= value + range - EPSILON
    const binding: number[] = []
    for (const side of [lowOk ? undefined : low, highOk ? undefined : high]) {
      if (side === undefined) continue
      side.duals.forEach((d, r) => {
        if (Math.abs(d) > EPSILON && !binding.includes(r)) binding.push(r)
      })
    }
    return { interval: { id: cell.id, value, low: Math.max(0, low.value), high: high.value, protected: lowOk && highOk }, binding }
  }

  dispose(): void {
    this.#model.dispose()
  }
}

/**
 * Whether a suppression pattern protects every withheld cell: `released` is everything the
 * consumer would hold, `withheld` the cells to protect. Any pattern that does is accepted.
 */
export async function checkSuppressionPattern(input: IntervalInput): Promise<{ readonly ok: boolean; readonly intervals: readonly ProtectionInterval[] }> {
  const model = new IntervalModel(await solver(), input.released, input.withheld)
  try {
    const found = input.withheld.map((cell, i) => model.check(i, cell, input.range).interval)
    return { ok: found.every((i) => i.protected), intervals: found }
  } finally {
    model.dispose()
  }
}

export type IntervalVerdict = {
  /** Current cells to withhold as well, so that every withheld cell keeps its interval. */
  readonly secondary: readonly string[]
  /** Withheld cells earlier releases alone already pin closer than the range (nothing this release can undo). */
  readonly narrowedEarlier: number
  /** Withheld cells checked, and their intervals after the secondary suppressions. */
  readonly intervals: readonly ProtectionInterval[]
  /** Withheld cells not checked: beyond the solve budget (the reviewers' report says so). */
  readonly unchecked: number
}

/**
 * Proposes secondary suppressions for this release: withholds current cells until every withheld
 * cell (of this release first, then of earlier ones) keeps its protection interval, or only
 * earlier releases pin it. Withholding only widens intervals, so a cell once protected stays so.
 */
export async function protectIntervals(input: {
  readonly history: { readonly released: readonly AuditedCell[]; readonly withheld: readonly AuditedCell[] }
  readonly current: { readonly released: readonly AuditedCell[]; readonly withheld: readonly AuditedCell[] }
  readonly range: number
  readonly maxSolves?: number
}): Promise<IntervalVerdict> {
  const withheld = [...input.current.withheld, ...input.history.withheld]
  if (withheld.length === 0) return { secondary: [], narrowedEarlier: 0, intervals: [], unchecked: 0 }
  const maxSolves = input.maxSolves ?? MAX_INTERVAL_SOLVES
  const highs = await solver()
  const history = input.history.released
  // a current cell with the units of one the consumer already holds adds nothing: never a candidate
  const held = new Set(history.map(fingerprintOf))
  let active = input.current.released.filter((c) => !held.has(fingerprintOf(c)))
  const secondary: string[] = []
  const found: ProtectionInterval[] = []
  let narrowedEarlier = 0
  let solves = 0
  let work = 0
  let model: IntervalModel | undefined
  try {
    let i = 0
    for (; i < withheld.length && solves + 2 <= maxSolves; ) {
      model ??= new IntervalModel(highs, [...history, ...active], withheld)
      if (work + 2 * model.size > MAX_INTERVAL_WORK) break
      const before = model.solves
      const { interval, binding } = model.check(i, withheld[i]!, input.range)
      solves += model.solves - before
      work += (model.solves - before) * model.size
      if (interval.protected) {
        found.push(interval)
        i++
        continue
      }
      // the finest binding cell of this release (fewest atoms: an inner cell before a margin), then the smallest
      let pick = -1
      const grain = model.grain
      const finer = (a: number, b: number) => grain[history.length + a]! - grain[history.length + b]! || active[a]!.units.length - active[b]!.units.length
      for (const row of binding) {
        const current = row - history.length
        if (current < 0) continue
        if (pick < 0 || finer(current, pick) < 0) pick = current
      }
      if (pick < 0) {
        narrowedEarlier++
        found.push(interval)
        i++
        continue
      }
      secondary.push(active[pick]!.id)
      active = active.filter((_, k) => k !== pick)
      model.dispose()
      model = undefined
    }
    return { secondary, narrowedEarlier, intervals: found, unchecked: withheld.length - i }
  } finally {
    model?.dispose()
  }
}
