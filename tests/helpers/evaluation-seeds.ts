/**
 * The synthetic cities products are evaluated on. Rules are tuned — a product's thresholds and
 * points, and the single-field rule it is compared with — on the tuning seeds only; the evaluation
 * seeds are for measuring, never for choosing anything. A figure in a product's README comes from
 * the evaluation seeds.
 */
import { createSampleStore, type SampleStore } from './sample-store.ts'

/** Persons per city: the scale the READMEs' figures are stated at. */
export const EVALUATION_SCALE = 20_000

export const TUNING_SEEDS = ['tuning-1', 'tuning-2', 'tuning-3'] as const

export const EVALUATION_SEEDS = ['evaluation-1', 'evaluation-2', 'evaluation-3', 'evaluation-4', 'evaluation-5', 'evaluation-6', 'evaluation-7', 'evaluation-8'] as const

/** Uses the store of one seed at the evaluation scale (a copy of its own, removed after). */
export async function withSeedStore<T>(seed: string, use: (sample: SampleStore) => Promise<T>): Promise<T> {
  const sample = await createSampleStore(EVALUATION_SCALE, seed)
  try {
    return await use(sample)
  } finally {
    sample.dispose()
  }
}
