/**
 * Compiles the isolate prelude to one script whose completion value is the prelude's function
 * table. Built once per process with esbuild from `isolate-prelude.ts`; no global is left behind.
 */
import { buildSync } from 'esbuild'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

export function preludeSource(): string {
  if (cached !== undefined) return cached
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL('./isolate-prelude.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__indomain_prelude',
    platform: 'neutral',
    target: 'es2022',
    legalComments: 'none',
  })
  cached = `(function () {\n${result.outputFiles[0]!.text}\nreturn __indomain_prelude.default;\n})()`
  return cached
}
