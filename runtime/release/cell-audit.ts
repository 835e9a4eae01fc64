/**
 * Query auditing across releases (docs/disclosure-control.md: "it remembers, per consumer, what each
 * released cell was computed over, so that differencing, trackers and linked tables across any
 * products are refused"). Pure.
 *
 * Every released cell is a sum over a set of units (its count: a sum of ones). What a consumer can
 * compute exactly from the cells it holds is any linear combination of them. The units fall into
 * atoms — the classes of units that lie in exactly the same released and withheld cells — and
 * every cell is a sum of atoms. A group's total is derivable exactly when its atom vector lies in
 * the row space of the released cells (Chin & Özsoyoglu's audit expert, over atoms rather than
 * single units). The audit refuses — by withholding further cells of the current release — any
 * release after which
 * - a cell withheld by the rules, now or in an earlier release to this consumer, or
 * - an atom of fewer than the minimum count of units (a differencing pair, a tracker's target)
 * becomes derivable. It picks, among the current cells the derivation needs, the one with the
 * fewest units, and repeats until nothing is derivable.
 *
 * What it catches: exact derivation by any linear combination of released cells — differencing
 * (two releases that differ by a few units), trackers (Denning's combinations of large queries),
 * linked tables (a withheld cell recovered from another table's margins), across products, for one
 * consumer and one kind of unit. What it does not: inference from inequalities (non-negativity,
 * bounds) rather than equations; a small group whose total is derivable only as a combination of
 * several atoms none of which is small alone is checked only when it is one atom or one withheld
 * cell; collusion between consumers; cells derivable from earlier releases alone (counted in
 * `exposedEarlier`: nothing a new release can undo).
 *
 * Arithmetic is exact over the prime field GF(p), p = 2^26 − 5: a vector in the rational row space
 * is in the GF(p) row space; the converse fails only if p divides a minor of the 0/1 cell matrix,
 * which can only make the audit stricter.
 */

/** A cell as the audit sees it: an id, and the ids of its units (stable across releases). */
export type AuditedCell = { readonly id: string; readonly units: readonly number[] }

/** The cells of one release, for the audit of later ones: what the consumer holds, and what was withheld. */
export type ReleaseCells = { readonly kind: string; readonly released: readonly AuditedCell[]; readonly withheld: readonly AuditedCell[] }

export type AuditInput = {
  /** What the consumer received before: released cells, and cells withheld then. */
  readonly history: { readonly released: readonly AuditedCell[]; readonly withheld: readonly AuditedCell[] }
  /** This release: the cells the rules let through, and the ones they withheld. */
  readonly current: { readonly released: readonly AuditedCell[]; readonly withheld: readonly AuditedCell[] }
  readonly minCount: number
}

export type AuditVerdict = {
  /** Current cells to withhold as well, so that nothing withheld or small is derivable. */
  readonly secondary: readonly string[]
  /** Withheld cells or small groups derivable from earlier releases alone. */
  readonly exposedEarlier: number
}

const P = 67_108_859

function mod(a: number): number {
  const r = a % P
  return r < 0 ? r + P : r
}

function inverse(a: number): number {
  // extended Euclid over integers below 2^26
  let [r0, r1] = [mod(a), P]
  let [s0, s1] = [1, 0]
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1)
    ;[r0, r1] = [r1, r0 - q * r1]
    ;[s0, s1] = [s1, s0 - q * s1]
  }
  return mod(s0)
}

type Sparse = Map<number, number>
type Row = { vec: Sparse; comb: Sparse }

/** `target += factor × source` (mod p), dropping zeros. */
function addScaled(target: Sparse, source: Sparse, factor: number): void {
  for (const [k, v] of source) {
    const next = mod((target.get(k) ?? 0) + ((v * factor) % P))
    if (next === 0) target.delete(k)
    else target.set(k, next)
  }
}

/** A row space in reduced row echelon form, each basis row remembering its combination of original rows. */
class RowSpace {
  readonly #basis = new Map<number, Row>()

  add(row: Row): void {
    const r = this.#reduce(row)
    if (r.vec.size === 0) return
    let pivot = Infinity
    for (const k of r.vec.keys()) if (k < pivot) pivot = k
    const scale = inverse(r.vec.get(pivot)!)
    for (const [k, v] of r.vec) r.vec.set(k, (v * scale) % P)
    for (const [k, v] of r.comb) r.comb.set(k, (v * scale) % P)
    // keep the form reduced: no other basis row has this pivot
    for (const other of this.#basis.values()) {
      const f = other.vec.get(pivot)
      if (f === undefined) continue
      addScaled(other.vec, r.vec, P - f)
      addScaled(other.comb, r.comb, P - f)
    }
    this.#basis.set(pivot, r)
  }

  /** The combination of original rows that makes `vec`, or undefined when it is not in the space. */
  express(vec: Sparse): Sparse | undefined {
    const r = this.#reduce({ vec: new Map(vec), comb: new Map() })
    if (r.vec.size > 0) return undefined
    // vec − Σ λ·basis = 0 was tracked as comb = −Σ λ·comb(basis): negate
    const out: Sparse = new Map()
    for (const [k, v] of r.comb) out.set(k, mod(-v))
    return out
  }

  #reduce(row: Row): Row {
    const vec = new Map(row.vec)
    const comb = new Map(row.comb)
    for (const [pivot, b] of this.#basis) {
      const f = vec.get(pivot)
      if (f === undefined) continue
      addScaled(vec, b.vec, P - f)
      addScaled(comb, b.comb, P - f)
    }
    return { vec, comb }
  }
}

/**
 * Dense positions of unit ids (52-bit numbers, uniformly spread: their low bits index an open
 * hash table directly), for the audit's millions of lookups.
 */
class UnitIndex {
  #keys: Float64Array
  #values: Int32Array
  #mask: number
  size = 0

  constructor(expected: number) {
    let capacity = 16
    while (capacity < expected * 2) capacity *= 2
    this.#keys = new Float64Array(capacity).fill(NaN)
    this.#values = new Int32Array(capacity)
    this.#mask = capacity - 1
  }

  /** The unit's position, given it on first sight. */
  add(unit: number): number {
    let slot = (unit >>> 0) & this.#mask
    for (;;) {
      const k = this.#keys[slot]!
      if (k === unit) return this.#values[slot]!
      if (k !== k) {
        this.#keys[slot] = unit
        this.#values[slot] = this.size
        return this.size++
      }
      slot = (slot + 1) & this.#mask
    }
  }
}

/**
 * Atoms of the units over a list of cells: per cell, its atoms; per atom, its size and its least
 * unit (a name that survives renumbering). A unit's signature (the cells it lies in) is folded into
 * two 32-bit hashes as the cells are visited in order; units with equal hashes form one atom (a
 * false merge needs two different signatures to agree on 53 bits).
 */
export function unitAtoms(cells: readonly AuditedCell[]): { cellAtoms: number[][]; sizes: number[]; names: number[] } {
  let memberships = 0
  for (const cell of cells) memberships += cell.units.length
  const index = new UnitIndex(memberships)
  const positions = cells.map((cell) => {
    const list = new Int32Array(cell.units.length)
    for (let j = 0; j < list.length; j++) list[j] = index.add(cell.units[j]!)
    return list
  })
  const n = index.size
  const unitAt = new Float64Array(n)
  for (let i = 0; i < cells.length; i++) {
    const units = cells[i]!.units
    const list = positions[i]!
    for (let j = 0; j < list.length; j++) unitAt[list[j]!] = units[j]!
  }
  const h1 = new Uint32Array(n).fill(0x811c9dc5)
  const h2 = new Uint32Array(n).fill(0x01000193)
  const last = new Int32Array(n).fill(-1)
  positions.forEach((list, i) => {
    for (const k of list) {
      if (last[k] === i) continue
      last[k] = i
      h1[k] = Math.imul(h1[k]! ^ (i + 1), 0x9e3779b1) ^ (h1[k]! >>> 15)
      h2[k] = Math.imul(h2[k]! + (i + 0x5bd1e995), 0x85ebca6b) ^ (h2[k]! >>> 13)
    }
  })
  const atomOf = new Map<number, number>()
  const atomOfUnit = new Int32Array(n)
  const sizes: number[] = []
  const names: number[] = []
  for (let k = 0; k < n; k++) {
    const signature = h1[k]! * 2097152 + (h2[k]! & 0x1fffff)
    let atom = atomOf.get(signature)
    if (atom === undefined) {
      atom = sizes.length
      atomOf.set(signature, atom)
      sizes.push(0)
      names.push(unitAt[k]!)
    }
    sizes[atom]!++
    if (unitAt[k]! < names[atom]!) names[atom] = unitAt[k]!
    atomOfUnit[k] = atom
  }
  const stamp = new Int32Array(sizes.length).fill(-1)
  const cellAtoms = positions.map((list, i) => {
    const atoms: number[] = []
    for (const k of list) {
      const atom = atomOfUnit[k]!
      if (stamp[atom] !== i) {
        stamp[atom] = i
        atoms.push(atom)
      }
    }
    return atoms
  })
  return { cellAtoms, sizes, names }
}

const ones = (atoms: readonly number[]): Sparse => new Map(atoms.map((a) => [a, 1]))

/**
 * A cell's unit set as a fingerprint, whatever the order of its units: its size and two
 * order-free folds of its units' hashes (equal sets always agree; different sets agree on all
 * three with negligible probability).
 */
export function fingerprintOf(cell: AuditedCell): string {
  let sum = 0
  let xor = 0
  for (const u of cell.units) {
    const low = u >>> 0
    const high = (u / 4294967296) >>> 0
    sum = (sum + Math.imul(low ^ (high * 0x27d4eb2d), 0x9e3779b1)) >>> 0
    xor = (xor ^ Math.imul(high + (low >>> 7), 0x85ebca6b)) >>> 0
  }
  return `${cell.units.length}:${sum}:${xor}`
}

/** `cells` without repeats of a set already in `seen` (which grows), and the ids of each kept cell's repeats. */
function distinctCells(cells: readonly AuditedCell[], seen: Map<string, AuditedCell[]>): AuditedCell[] {
  const kept: AuditedCell[] = []
  for (const cell of cells) {
    const fp = fingerprintOf(cell)
    const same = seen.get(fp)
    if (same !== undefined) same.push(cell)
    else {
      seen.set(fp, [cell])
      kept.push(cell)
    }
  }
  return kept
}

export function auditCells(input: AuditInput): AuditVerdict {
  // a cell with the same units as one the consumer already holds adds nothing to what it can
  // derive: only distinct sets enter the audit (a current repeat of a current cell is withheld with it)
  const released = new Map<string, AuditedCell[]>()
  const history = distinctCells(input.history.released, released)
  const historySets = new Set(released.keys())
  const fresh = distinctCells(input.current.released, released)
  const repeatsOf = new Map<string, readonly AuditedCell[]>()
  for (const [fp, same] of released) if (!historySets.has(fp)) repeatsOf.set(same[0]!.id, same.slice(1))
  const targets = distinctCells([...input.history.withheld, ...input.current.withheld], new Map())
  const verdict = auditDistinct(history, fresh, targets, input.minCount)
  return { ...verdict, secondary: verdict.secondary.flatMap((id) => [id, ...(repeatsOf.get(id) ?? []).map((c) => c.id)]) }
}

function auditDistinct(history: readonly AuditedCell[], current: readonly AuditedCell[], targets: readonly AuditedCell[], minCount: number): AuditVerdict {
  let active = [...current]
  const secondary: string[] = []
  const excused = new Set<string>()
  for (;;) {
    const released = [...history, ...active]
    const { cellAtoms, sizes, names } = unitAtoms([...released, ...targets])
    const space = new RowSpace()
    released.forEach((_, i) => space.add({ vec: ones(cellAtoms[i]!), comb: new Map([[i, 1]]) }))
    // what must not be derivable: withheld cells, then atoms of released units smaller than the minimum
    const checks: { id: string; vec: Sparse }[] = targets.map((t, i) => ({ id: `target:${t.id}`, vec: ones(cellAtoms[released.length + i]!) }))
    const inReleased = new Set<number>()
    for (let i = 0; i < released.length; i++) for (const a of cellAtoms[i]!) inReleased.add(a)
    for (const a of inReleased) if (sizes[a]! > 0 && sizes[a]! < minCount) checks.push({ id: `atom:${names[a]}:${sizes[a]}`, vec: new Map([[a, 1]]) })
    let removed = false
    for (const check of checks) {
      if (excused.has(check.id) || check.vec.size === 0) continue
      const combination = space.express(check.vec)
      if (combination === undefined) continue
      // the current cells this derivation uses; withhold the one with the fewest units
      let pick = -1
      for (const [row] of combination) {
        const current = row - history.length
        if (current < 0) continue
        if (pick < 0 || active[current]!.units.length < active[pick]!.units.length) pick = current
      }
      if (pick < 0) {
        excused.add(check.id)
        continue
      }
      secondary.push(active[pick]!.id)
      active = active.filter((_, i) => i !== pick)
      removed = true
      break
    }
    if (!removed) return { secondary, exposedEarlier: excused.size }
  }
}
