/**
 * The `indomain` command line. Exit codes: 0 ok, 1 usage or bad input, 2 a release refusal,
 * 3 a sandbox or product failure, 4 a runtime failure.
 */
import { Command, CommanderError } from 'commander'
import { CatalogError } from '../../catalog/catalog-error.ts'
import { isRuntimeError } from '../errors.ts'
import { modulesFor } from './command-modules.ts'

const program = new Command()
  .name('indomain')
  .description('原始数据不出域、数据可用不可见 — a runtime for data products on public data')
  .showHelpAfterError()
  .exitOverride()

for (const m of modulesFor(process.argv)) (await m.load())(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  process.exitCode = reportError(error)
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1
  if (error instanceof CatalogError) {
    process.stderr.write(`${JSON.stringify({ code: error.code, issues: error.issues })}\n${error.message}\n`)
    return 1
  }
  if (isRuntimeError(error)) {
    process.stderr.write(`${JSON.stringify(error.toJSON())}\n`)
    if (error.code === 'ERR_RELEASE_REFUSED') return 2
    return error.blame === 'caller' ? 1 : error.blame === 'partner' ? 3 : 4
  }
  process.stderr.write(`${JSON.stringify({ code: 'ERR_INTERNAL', message: 'Unexpected failure' })}\n`)
  if (process.env.INDOMAIN_DEBUG) console.error(error)
  return 4
}
