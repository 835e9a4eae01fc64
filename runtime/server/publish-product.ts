/**
 * Publishing a product version: it is recorded with its code hash, under its approved scenario,
 * with the source departments of the tables it uses (产品清单公示) and its price per call —
 * none for public-interest products (公共治理/公益事业 are free). A product its scenario cannot
 * serve (a field it reads not approved, no key to look its entity up by) is refused here, with its
 * causes, instead of failing at a consumer's first call. The version published last is the one on
 * the public list; the ones before it are retired.
 */
import type { Catalog } from '../../catalog/load-catalog.ts'
import type { LoadedProduct } from '../products/run-product.ts'
import { isPublicInterest } from '../release/release-policy.ts'
import type { Scenario } from '../scenarios/scenario.ts'
import type { PublishedProduct, Registry } from './registry.ts'
import { assertCanServe } from './version-review.ts'

export async function publishProduct(
  registry: Registry,
  catalog: Catalog,
  product: LoadedProduct,
  options: { readonly dir: string; readonly partner: string; readonly scenario: Scenario; readonly priceFen: number },
): Promise<PublishedProduct> {
  const m = product.manifest
  assertCanServe(m, options.scenario)
  return registry.publish({
    id: m.id,
    version: m.version,
    title: m.title,
    category: m.category,
    dir: options.dir,
    codeHash: product.codeHash,
    partner: options.partner,
    scenario: options.scenario.id,
    priceFen: isPublicInterest(m.category) ? 0 : options.priceFen,
    sources: [...new Set(Object.keys(m.scenario.tables).map((t) => catalog.table(t)?.source ?? t))],
  })
}
