/**
 * The review file of one product version (产品审查): what an operator reads before deciding. The
 * version as recorded, its manifest as loaded from its stored sources, the scenario it was
 * submitted under, and checks computed at the time of reading (never stored): the sources still
 * bundle to the recorded code hash; the scenario is approved and unexpired today (in Beijing), of the
 * product's category, and approves every table and field the manifest reads; a one-entity
 * answer's declared shape is bounded (ranges, enums, anchored patterns); the dev run
 * succeeded and passed the release checks.
 */
import { isRuntimeError, RuntimeError } from '../errors.ts'
import type { ProductManifest } from '../products/manifest.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import { assertUsable } from '../scenarios/scenario-store.ts'
import type { ProductVersion } from '../state/product-versions.ts'
import { checkApiOutputSchema } from '../release/api-output-rules.ts'

export const VERSION_CHECKS = ['code_hash', 'scenario_approved', 'category_matches', 'fields_approved', 'answer_bounded', 'dev_run_ok', 'dev_run_release_checks'] as const
export type VersionCheckName = (typeof VERSION_CHECKS)[number]
export type VersionCheck = { readonly check: VersionCheckName; readonly ok: boolean; readonly detail?: string }

export type VersionReviewFile = {
  /** The version as recorded, without where its sources are kept. */
  readonly version: Omit<ProductVersion, 'dir'>
  /** Null when the stored sources no longer bundle to the recorded code hash or do not load. */
  readonly manifest: ProductManifest | null
  readonly scenario: Scenario | null
  readonly checks: readonly VersionCheck[]
}

/** The stored sources re-bundled: the code hash they give, or why they gave none. */
export type Rebundled = { readonly codeHash: string } | { readonly failed: string }

const NOT_SUBMITTED = 'the version was not submitted under a scenario'

const check = (name: VersionCheckName, problem: string | undefined): VersionCheck => (problem === undefined ? { check: name, ok: true } : { check: name, ok: false, detail: problem })

export type ServingProblem = { readonly path: string; readonly problem: string }

/**
 * Why the product cannot serve under the scenario (empty when it can): tables and fields the
 * manifest reads that the scenario does not approve, and missing keys — the manifest's own where it
 * names one, and one for every table of a one-entity product, whose entity is looked up by them.
 * Publishing refuses a product with any.
 */
export function servingProblems(manifest: ProductManifest, scenario: Scenario): ServingProblem[] {
  const approved = new Set(scenario.fields.filter((f) => f.decision === 'approved').map((f) => `${f.table}.${f.field}`))
  const problems: ServingProblem[] = []
  for (const [table, t] of Object.entries(manifest.scenario.tables)) {
    const key = scenario.keys[table]
    if (t.key !== undefined && key !== t.key) problems.push({ path: `scenario:/tables/${table}/key`, problem: `the product looks up by ${t.key}, the scenario's key field is ${key ?? 'not set'}` })
    else if (t.key === undefined && manifest.kind === 'api' && key === undefined) problems.push({ path: `scenario:/tables/${table}/key`, problem: 'a one-entity product needs a key field for every table, and the scenario sets none' })
    for (const field of Object.keys(t.fields)) if (!approved.has(`${table}.${field}`)) problems.push({ path: `scenario:/tables/${table}/fields/${field}`, problem: 'not approved in the scenario' })
  }
  return problems
}

/**
 * Refuses a product its scenario cannot serve as decided now: ERR_PRODUCT_CANNOT_SERVE with the
 * problems (at publication, and on every call: a scenario decided again since may have changed a key).
 */
export function assertCanServe(manifest: ProductManifest, scenario: Scenario): void {
  const problems = servingProblems(manifest, scenario)
  if (problems.length > 0) {
    throw new RuntimeError('ERR_PRODUCT_CANNOT_SERVE', 'The product cannot serve under its scenario as decided: ask the operator to decide the scenario again', { details: { problems, product: manifest.id, version: manifest.version, scenario: scenario.id } })
  }
}

/** Why the scenario cannot be used today, if it cannot. */
function unusable(scenario: Scenario | null, today: string): string | undefined {
  if (scenario === null) return NOT_SUBMITTED
  try {
    assertUsable(scenario, today)
    return undefined
  } catch (error) {
    if (isRuntimeError(error)) return `${error.code}: ${error.message}`
    throw error
  }
}

/** The dev run as recorded: `{ ok, at, checks, error }`, checks being the release checks' verdict (or `{ refused }`). */
type RecordedDevRun = { readonly ok?: unknown; readonly checks?: { readonly refused?: readonly { readonly code?: unknown }[] } | null; readonly error?: { readonly code?: unknown } | null }

function devRunFailure(run: RecordedDevRun | null): string | undefined {
  if (run === null) return 'no dev run'
  if (run.ok === true) return undefined
  return typeof run.error?.code === 'string' ? `the dev run failed: ${run.error.code}` : 'the dev run failed'
}

function releaseChecksFailure(run: RecordedDevRun | null): string | undefined {
  if (run === null) return 'no dev run'
  if (run.checks?.refused !== undefined) return `refused: ${run.checks.refused.map((r) => String(r.code)).join(', ')}`
  if (run.checks === null || run.checks === undefined) return 'the dev run did not reach the release checks'
  return undefined
}

function codeHashFailure(version: ProductVersion, rebundled: Rebundled): string | undefined {
  if ('failed' in rebundled) return rebundled.failed
  return rebundled.codeHash === version.codeHash ? undefined : 'the stored sources bundle to another code hash than the one recorded'
}

function categoryFailure(category: string, scenario: Scenario | null): string | undefined {
  if (scenario === null) return NOT_SUBMITTED
  return scenario.category === category ? undefined : `the scenario is for ${scenario.category}, the product declares ${category}`
}

function fieldsFailure(manifest: ProductManifest | null, scenario: Scenario | null): string | undefined {
  if (scenario === null) return NOT_SUBMITTED
  if (manifest === null) return 'the manifest could not be loaded from the stored sources'
  const problems = servingProblems(manifest, scenario)
  return problems.length === 0 ? undefined : problems.map((p) => `${p.path.slice('scenario:/tables/'.length)}: ${p.problem}`).join('; ')
}

/** One-entity products: where the answer's declared shape is not bounded (api-output-rules.ts). */
function answerShapeFailure(manifest: ProductManifest | null): string | undefined {
  if (manifest === null) return 'the manifest could not be loaded from the stored sources'
  if (manifest.kind !== 'api') return undefined
  const problems = checkApiOutputSchema(manifest.output)
  return problems.length === 0 ? undefined : problems.join('; ')
}

export function versionChecks(input: {
  readonly version: ProductVersion
  readonly rebundled: Rebundled
  readonly manifest: ProductManifest | null
  readonly scenario: Scenario | null
  readonly today: string
}): VersionCheck[] {
  const { version, manifest, scenario } = input
  const devRun = version.devRun as RecordedDevRun | null
  return [
    check('code_hash', codeHashFailure(version, input.rebundled)),
    check('scenario_approved', unusable(scenario, input.today)),
    // the manifest's category was recorded with the version at upload
    check('category_matches', categoryFailure(manifest?.category ?? version.category, scenario)),
    check('fields_approved', fieldsFailure(manifest, scenario)),
    check('answer_bounded', answerShapeFailure(manifest)),
    check('dev_run_ok', devRunFailure(devRun)),
    check('dev_run_release_checks', releaseChecksFailure(devRun)),
  ]
}
