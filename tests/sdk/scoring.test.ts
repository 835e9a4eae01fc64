import { describe, expect, it } from 'vitest'
import { bucketize, gapSummary, grade, monthIndex, monthsBetween, monthsSince, periodRange, scorecard } from '../../sdk/index.ts'

describe('month arithmetic', () => {
  it('counts months between periods and dates', () => {
    expect(monthsBetween('2024-11-30', '2025-02-01')).toBe(3)
    expect(monthsBetween('202512', '202401')).toBe(-23)
    expect(monthsSince('202510', '2025-12-31')).toBe(2)
    expect(monthsSince(null, '2025-12-31')).toBe(Infinity)
    expect(periodRange('202411', '202502')).toEqual(['202411', '202412', '202501', '202502'])
  })
  it('rejects malformed periods', () => {
    expect(() => monthIndex('2025-13-01')).toThrow(RangeError)
    expect(() => monthIndex('abc')).toThrow(RangeError)
  })
})

describe('gapSummary', () => {
  it('finds missing months, the longest lapse and a current lapse', () => {
    expect(gapSummary(['202501', '202502', '202505'], '202501', '202506')).toEqual({ missing: 3, longest: 2, trailing: 1 })
    expect(gapSummary([], '202501', '202503')).toEqual({ missing: 3, longest: 3, trailing: 3 })
    expect(gapSummary(['202501', '202502', '202503'], '202501', '202503')).toEqual({ missing: 0, longest: 0, trailing: 0 })
  })
})

describe('bucketize, grade and scorecard', () => {
  it('buckets by bounds', () => {
    expect(bucketize(7, [5, 10, 20])).toBe(1)
    expect(bucketize(4.99, [5, 10])).toBe(0)
    expect(bucketize(10, [5, 10])).toBe(2)
  })
  it('grades by descending thresholds', () => {
    expect(grade(720, [[750, 'AAA'], [700, 'AA']], 'B')).toBe('AA')
    expect(grade(100, [[750, 'AAA']], 'B')).toBe('B')
  })
  it('adds points, clamps, and reports the costliest reasons first', () => {
    const card = scorecard({
      base: 600,
      min: 300,
      max: 900,
      characteristics: {
        gap: { bounds: [1, 3], points: [60, -20, -120], reason: '社保断缴' },
        arrears: { bounds: [1], points: [20, -50], reason: '欠税' },
      },
    })
    expect(card({ gap: 4, arrears: 1 })).toEqual({ score: 430, reasons: ['社保断缴', '欠税'] })
    expect(card({ gap: 0, arrears: 0 })).toEqual({ score: 680, reasons: [] })
    const floor = scorecard({ base: 320, min: 300, max: 900, characteristics: { x: { bounds: [1], points: [0, -500], reason: 'x' } } })
    expect(floor({ x: 5 }).score).toBe(300)
  })
  it('refuses a characteristic with the wrong number of points', () => {
    expect(() => scorecard({ base: 0, min: 0, max: 1, characteristics: { x: { bounds: [1, 2], points: [1], reason: 'x' } } })).toThrow(RangeError)
  })
})
