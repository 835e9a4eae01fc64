/**
 * `indomain hash <productDir>`: prints the product's code hash, the one an operator approves
 * (the SHA-256 of its bundle, the same from any folder on any machine: docs/code-hash.md). With
 * `--json`, `{ codeHash, files }`: the product's own files, relative to its folder, then the SDK's
 * as `sdk/<file>`; never a host path. A product that does not bundle fails with its typed error.
 */
import type { Command } from 'commander'
import { bundleProduct } from '../sandbox/bundle-product.ts'

export function registerHashCommand(program: Command): void {
  program
    .command('hash <productDir>')
    .description('print the code hash an operator approves for this product (the same from any folder)')
    .option('--json', 'print { codeHash, files } as JSON')
    .action(async (productDir: string, options: { json?: boolean }) => {
      const { codeHash, files } = await bundleProduct(productDir)
      process.stdout.write(options.json === true ? `${JSON.stringify({ codeHash, files }, null, 2)}\n` : `${codeHash}\n`)
    })
}
