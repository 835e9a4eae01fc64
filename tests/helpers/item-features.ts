/**
 * One-field features (single-field-features.ts) of items that are not entities of the scenario's
 * tables, for item-evaluation.ts:
 *
 * - `linkedFeatures`: each item takes the features of the entity it links to (a listing those of
 *   the home its address code names); an item that links to none (null) has what an entity without
 *   rows has — no rows, no values.
 * - `groupFeatures`: each item is a group of entities (a township, of the homes in it) and takes the
 *   features of its members added up where they count or add (rows, rows holding a value, blanks,
 *   values, sums, trues, distinct values) and averaged over the members that have a value where they
 *   do not (means, extremes, first and last); and, with `per`, every added-up feature per thousand of
 *   that one (people in need per thousand residents is read against such rates).
 */
import type { SampleStore } from './sample-store.ts'
import { loadSingleFieldFeatures, type FeatureSource } from './single-field-features.ts'

/** No entity is keyed by this: what an item without a link looks like. */
const NO_LINK = '\u0000'
const ADDED = /: (rows|blanks|values|sum|true|distinct)$/

export async function linkedFeatures(sample: SampleStore, sources: readonly FeatureSource[], links: readonly (string | null)[]): Promise<Map<string, Float64Array>> {
  const entities = [...new Set(links.map((l) => l ?? NO_LINK))]
  const at = new Map(entities.map((e, i) => [e, i]))
  const { features } = await loadSingleFieldFeatures(sample, sources, entities)
  const out = new Map<string, Float64Array>()
  for (const [name, values] of features) out.set(name, Float64Array.from(links, (l) => values[at.get(l ?? NO_LINK)!]!))
  return out
}

export async function groupFeatures(
  sample: SampleStore,
  sources: readonly FeatureSource[],
  members: ReadonlyMap<string, string>,
  groups: readonly string[],
  options: { readonly per?: string } = {},
): Promise<Map<string, Float64Array>> {
  const entities = [...members.keys()]
  const index = new Map(groups.map((g, i) => [g, i]))
  const groupOf = Int32Array.from(entities, (e) => index.get(members.get(e)!) ?? -1)
  const { features } = await loadSingleFieldFeatures(sample, sources, entities)
  const out = new Map<string, Float64Array>()
  for (const [name, values] of features) {
    const total = new Float64Array(groups.length)
    const counted = new Float64Array(groups.length)
    values.forEach((v, i) => {
      const g = groupOf[i]!
      if (g < 0 || Number.isNaN(v)) return
      total[g]! += v
      counted[g]!++
    })
    out.set(name, ADDED.test(name) ? total : total.map((t, g) => (counted[g] === 0 ? Number.NaN : t / counted[g]!)))
  }
  const size = options.per === undefined ? undefined : out.get(options.per)
  if (options.per !== undefined && size === undefined) throw new TypeError(`no feature ${options.per} to take rates of`)
  if (size !== undefined) {
    for (const name of [...out.keys()].filter((n) => ADDED.test(n) && n !== options.per)) {
      out.set(`${name} per 1000 of ${options.per}`, out.get(name)!.map((v, g) => (size[g] === 0 ? Number.NaN : (1000 * v) / size[g]!)))
    }
  }
  return out
}
