/**
 * `indomain start`: the main job on the embedded default. Builds the sample store on first run,
 * publishes the example products under bootstrap approvals with a demo consumer, and serves them;
 * prints how to call a product and verify its release.
 */
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { loadConfig } from '../config.ts'
import { openStore, readStoreInfo, readStoreProperties, type Store } from '../store/index.ts'
import { bootstrapExamples } from '../server/bootstrap.ts'
import { createServerRuntime } from '../server/server-runtime.ts'
import { serveUntilStopped } from './serving.ts'
import { operationalLogger } from '../server/build-server.ts'
import { buildWithProgress, renderCatalogList } from './catalog-commands.ts'

const PRODUCTS_DIR = fileURLToPath(new URL('../../products/', import.meta.url))

/**
 * An operating enterprise of the sample store, for the printed example call to work as printed;
 * never a code from a store of real data (the placeholder then).
 */
async function exampleEnterprise(store: Store): Promise<string> {
  if ((await readStoreProperties(store)).get('origin') !== 'synthetic') return '<an enterprise code>'
  const rows = (await store.connection.runAndReadAll("SELECT uscc FROM enterprise_basic WHERE status IN ('存续', '在业') ORDER BY uscc LIMIT 1")).getRowObjects()
  return String(rows[0]?.uscc ?? '<an enterprise code>')
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('the main job: build the sample store if needed, publish the example products, serve them')
    .option('--no-serve', 'prepare and show the catalog, but do not serve')
    .action(async (options: { serve: boolean }) => {
      const config = loadConfig()
      if (!existsSync(config.storePath)) {
        process.stderr.write(`no store at ${config.storePath}: building the sample catalog (${config.sampleScale.toLocaleString('en')} persons)\n`)
        await buildWithProgress(config, config.storePath, config.sampleScale, config.sampleSeed)
      }
      const catalog = loadCatalog(config.catalogDir)
      const store = await openStore(config.storePath, { access: 'read-only' })
      let example: string
      try {
        process.stdout.write(renderCatalogList(catalog, await readStoreInfo(store, catalog)))
        example = await exampleEnterprise(store)
      } finally {
        store.close()
      }
      if (!options.serve) return
      const { published } = await bootstrapExamples(config, catalog, PRODUCTS_DIR)
      const runtime = await createServerRuntime(config, { logger: operationalLogger('warn'), catalog })
      const base = `http://${config.host}:${config.port}`
      const keyFile = relative(process.cwd(), join(config.dataDir, 'demo-consumer.key'))
      await serveUntilStopped(runtime, config, config.port, () => {
        process.stdout.write(
          `\nindomain serving ${published.length} product(s) on ${base}: ${published.join(', ')}\n` +
            `demo consumer API key: ${keyFile}\n\n` +
            `  curl -s ${base}/v1/products\n` +
            `  curl -s -X POST ${base}/v1/products/enterprise-credit-score/invoke \\\n` +
            `    -H "authorization: Bearer $(cat ${keyFile})" -H 'content-type: application/json' \\\n` +
            `    -d '{"input":{"uscc":"${example}"}}' > call.json\n` +
            `  node -e "process.stdout.write(require('./call.json').release)" > release.jws\n` +
            `  npx indomain verify release.jws --jwks ${base}/.well-known/jwks.json\n\n` +
            `the console (运营控制台): ${base}/console/ — operators sign in with: npx indomain token issue --role operator --subject op-zhang\n` +
            `the API for every role: ${base}/docs\n` +
            `Ctrl-C stops the server (in-flight calls finish first).\n`,
        )
      })
    })
}
