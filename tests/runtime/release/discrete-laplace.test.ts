/**
 * The discrete Laplace sampler (Canonne, Kamath and Steinke): its Bernoulli(exp(−γ)) building block
 * has the right mean, and the samples' empirical variance matches 2e^{−1/b}/(1−e^{−1/b})² for
 * several scales — over a seeded source of uniform integers, so the test is deterministic; and the
 * default cryptographic source gives integers.
 */
import { describe, expect, it } from 'vitest'
import { bernoulliExpMinus, discreteLaplaceVariance, rationalScale, sampleDiscreteLaplace, type UniformInt } from '../../../runtime/release/discrete-laplace.ts'

/** A seeded uniform integer source (xorshift128+ over 52 bits), for reproducible statistics. */
function seeded(seed: number): UniformInt {
  let a = BigInt(seed) | 1n
  let b = 0x9e3779b97f4a7c15n
  const mask = (1n << 64n) - 1n
  return (n) => {
    let s1 = a
    const s0 = b
    a = s0
    s1 ^= (s1 << 23n) & mask
    b = s1 ^ s0 ^ (s1 >> 17n) ^ (s0 >> 26n)
    const r = Number(((b + s0) & mask) >> 12n) / 2 ** 52
    return Math.floor(r * n)
  }
}

describe('discrete Laplace', () => {
  it('Bernoulli(exp(−γ)) has mean exp(−γ), below and above 1', () => {
    const uniform = seeded(7)
    for (const [num, den] of [[1, 3], [1, 1], [5, 2]] as const) {
      let ones = 0
      const n = 40_000
      for (let i = 0; i < n; i++) if (bernoulliExpMinus(num, den, uniform)) ones++
      expect(Math.abs(ones / n - Math.exp(-num / den))).toBeLessThan(0.01)
    }
  })

  it("samples' mean is 0 and their variance within 5% of the distribution's, for several scales", () => {
    for (const scale of [0.5, 2, 10, 37.5]) {
      const uniform = seeded(Math.round(scale * 100))
      const { num, den } = rationalScale(scale)
      const n = 60_000
      let sum = 0
      let squares = 0
      for (let i = 0; i < n; i++) {
        const x = sampleDiscreteLaplace(num, den, uniform)
        expect(Number.isInteger(x)).toBe(true)
        sum += x
        squares += x * x
      }
      const mean = sum / n
      const variance = squares / n - mean * mean
      const expected = discreteLaplaceVariance(num / den)
      expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(expected / n))
      expect(Math.abs(variance / expected - 1), `scale ${scale}: ${variance} vs ${expected}`).toBeLessThan(0.05)
    }
  })

  it('the default source is the cryptographic one and gives integers; bad scales are refused', () => {
    const xs = Array.from({ length: 1000 }, () => sampleDiscreteLaplace(3, 1))
    expect(xs.every(Number.isInteger)).toBe(true)
    expect(new Set(xs).size).toBeGreaterThan(5)
    expect(() => sampleDiscreteLaplace(0, 1)).toThrow(RangeError)
    expect(() => sampleDiscreteLaplace(1.5, 1)).toThrow(RangeError)
    expect(rationalScale(2.0004)).toEqual({ num: 2001, den: 1000 })
  })
})
