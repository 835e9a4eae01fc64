/**
 * Exact sampling from the discrete Laplace distribution, P(X = x) ∝ exp(−|x| / scale), for integer
 * x, with a cryptographic source of uniform integers and rational arithmetic only — no floating
 * point in the sampler (floating-point Laplace noise leaks through the gaps between doubles:
 * Mironov, "On significance of the least significant bits for differential privacy", CCS 2012).
 *
 * The algorithm is Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy"
 * (NeurIPS 2020), Algorithm 2, with their Bernoulli(exp(−γ)) sampler (Algorithm 1) — the sampler
 * OpenDP uses. The scale is a rational num/den of positive integers.
 */
import { randomInt } from 'node:crypto'

/** A uniform integer in [0, n): crypto.randomInt (rejection sampling over the CSPRNG). */
export type UniformInt = (n: number) => number

const cryptoUniform: UniformInt = (n) => randomInt(n)

/** Bernoulli(p) for rational p = num/den in [0, 1]. */
function bernoulli(num: number, den: number, uniform: UniformInt): boolean {
  return uniform(den) < num
}

/** Bernoulli(exp(−num/den)) for num/den ≥ 0 (Canonne–Kamath–Steinke, Algorithm 1). */
export function bernoulliExpMinus(num: number, den: number, uniform: UniformInt = cryptoUniform): boolean {
  if (num <= den) {
    // γ in [0, 1]: K ← 1; while Bernoulli(γ/K) K ← K + 1; return K odd
    let k = 1
    while (bernoulli(num, den * k, uniform)) k++
    return k % 2 === 1
  }
  const whole = Math.floor(num / den)
  for (let i = 0; i < whole; i++) if (!bernoulliExpMinus(1, 1, uniform)) return false
  return bernoulliExpMinus(num - whole * den, den, uniform)
}

/**
 * One sample of the discrete Laplace distribution with scale `num/den`: P(x) ∝ exp(−|x|·den/num).
 * Canonne–Kamath–Steinke, Algorithm 2, whose parameters are t = num and s = den (it samples
 * Lap_Z(t/s)). Its variance is 2e^{−1/b} / (1 − e^{−1/b})², b = num/den.
 *
 * @example
 * sampleDiscreteLaplace(10, 1) // an integer, most often within ±30
 */
export function sampleDiscreteLaplace(num: number, den: number, uniform: UniformInt = cryptoUniform): number {
  if (!Number.isInteger(num) || !Number.isInteger(den) || num < 1 || den < 1 || num > 2 ** 40 || den > 2 ** 40) {
    throw new RangeError('sampleDiscreteLaplace expects a scale num/den with positive integers num and den')
  }
  const t = num
  const s = den
  for (;;) {
    const u = uniform(t)
    if (!bernoulliExpMinus(u, t, uniform)) continue
    let v = 0
    while (bernoulliExpMinus(1, 1, uniform)) v++
    // X = U + t·V is geometric(1 − e^{−1/t}); Y = ⌊X/s⌋ is geometric(1 − e^{−s/t})
    const y = Math.floor((u + t * v) / s)
    const negative = uniform(2) === 1
    if (negative && y === 0) continue
    return negative ? -y : y
  }
}

/** The variance of the discrete Laplace distribution with scale b. */
export function discreteLaplaceVariance(b: number): number {
  const q = Math.exp(-1 / b)
  return (2 * q) / (1 - q) ** 2
}

/** A rational num/den for a positive scale (den 1000, num rounded up: never less noise than asked). */
export function rationalScale(scale: number): { readonly num: number; readonly den: number } {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('a scale is a positive finite number')
  const den = 1000
  return { num: Math.max(1, Math.ceil(scale * den)), den }
}
