/** `indomain start`: the main job. Until the server exists: make sure the sample store exists, then show the catalog. */
import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { loadConfig } from '../config.ts'
import { openStore, readStoreInfo } from '../store/index.ts'
import { buildWithProgress, renderCatalogList } from './catalog-commands.ts'

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('build the sample store on first run, then show the catalog')
    .action(async () => {
      const config = loadConfig()
      if (!existsSync(config.storePath)) {
        process.stderr.write(`no store at ${config.storePath}: building the sample catalog (${config.sampleScale.toLocaleString('en')} persons)\n`)
        await buildWithProgress(config, config.storePath, config.sampleScale, config.sampleSeed)
      }
      const catalog = loadCatalog(config.catalogDir)
      const store = await openStore(config.storePath, { access: 'read-only' })
      try {
        process.stdout.write(renderCatalogList(catalog, await readStoreInfo(store, catalog)))
      } finally {
        store.close()
      }
    })
}
