/**
 * Deterministic pseudo-random numbers for the synthetic world. Same seed and stream name,
 * same sequence, on every machine: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * PractRand-clean) seeded through a 32-bit FNV-1a + splitmix of `${seed}/${stream}`.
 * Not for cryptography: the sample data is public test material.
 */
export type Random = {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number
  /** True with probability p. */
  chance(p: number): boolean
  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T
  /** Standard normal (Box–Muller). */
  normal(): number
  /** exp(mu + sigma·N(0,1)). */
  lognormal(mu: number, sigma: number): number
  /** Exponential with the given mean. */
  exponential(mean: number): number
  /** Poisson with a small mean (Knuth). */
  poisson(mean: number): number
}

function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function splitmix32(state: number): () => number {
  let s = state >>> 0
  return () => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** A generator for one named stream of one seed. */
export function createRandom(seed: string | number, stream: string): Random {
  const init = splitmix32(hashString(`${seed}/${stream}`))
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) u32()
  const next = (): number => u32() / 4294967296
  let spare: number | undefined
  const normal = (): number => {
    if (spare !== undefined) {
      const v = spare
      spare = undefined
      return v
    }
    let u = 0
    while (u === 0) u = next()
    const v = next()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    normal,
    lognormal: (mu, sigma) => Math.exp(mu + sigma * normal()),
    exponential: (mean) => -mean * Math.log(1 - next()),
    poisson: (mean) => {
      const limit = Math.exp(-mean)
      let k = 0
      let p = next()
      while (p > limit) {
        k++
        p *= next()
      }
      return k
    },
  }
}

/** Weighted choice by cumulative weights: build once, draw in O(log n). */
export function createWeightedPicker<T>(items: readonly T[], weight: (item: T) => number): (r: Random) => T {
  const cumulative = new Float64Array(items.length)
  let total = 0
  items.forEach((item, i) => {
    const w = weight(item)
    if (!(w >= 0)) throw new RangeError('weights must be non-negative numbers')
    total += w
    cumulative[i] = total
  })
  if (!(total > 0)) throw new RangeError('weights must not all be zero')
  return (r) => items[upperBound(cumulative, r.next() * total)]!
}

/** Index of the first element greater than x (binary search). */
export function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0
  let hi = sorted.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! > x) hi = mid
    else lo = mid + 1
  }
  return lo
}

export function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x
}

/** Rounds to `digits` decimals without float noise in the printed value. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
