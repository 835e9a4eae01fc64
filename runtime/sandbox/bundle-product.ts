/**
 * Bundles a product (TypeScript) into one script for the sandbox. Only the product's own files
 * and the SDK may be imported: anything else (node builtins, npm packages, files outside the
 * product folder) fails the build with ERR_BUNDLE_FORBIDDEN_IMPORT. The code hash is the SHA-256
 * of the bundle, which is what reviews approve and releases cite.
 */
import { build, type Plugin } from 'esbuild'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RuntimeError } from '../errors.ts'
import { BUNDLE_EXPORTS } from './protocol.ts'

export type ProductBundle = {
  readonly code: string
  /** SHA-256 of `code`, hex. */
  readonly codeHash: string
  /** Files that went into the bundle, relative to the project root. */
  readonly files: readonly string[]
}

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)))
const SDK_DIR = join(PROJECT_ROOT, 'sdk')
export const SDK_SPECIFIER = 'indomain/sdk'

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep)
}

function importGuard(productDir: string): Plugin {
  return {
    name: 'indomain-import-guard',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined
        if (args.path === SDK_SPECIFIER) return { path: join(SDK_DIR, 'index.ts') }
        if (args.path.startsWith('.') || args.path.startsWith('/')) {
          const target = resolve(args.resolveDir, args.path)
          if (inside(target, productDir) || inside(target, SDK_DIR)) return undefined
        }
        return { errors: [{ text: `import of "${args.path}" is not allowed: a product may import only its own files and ${SDK_SPECIFIER}` }] }
      })
    },
  }
}

export async function bundleProduct(productDirectory: string): Promise<ProductBundle> {
  const productDir = resolve(productDirectory)
  const entry = ['product.ts', 'index.ts'].map((f) => join(productDir, f)).find((f) => existsSync(f))
  if (entry === undefined) {
    throw new RuntimeError('ERR_PRODUCT_NOT_FOUND', 'No product.ts in the product folder', { details: { dir: productDirectory } })
  }
  let result
  try {
    result = await build({
      entryPoints: [entry],
      absWorkingDir: PROJECT_ROOT,
      bundle: true,
      write: false,
      format: 'iife',
      globalName: BUNDLE_EXPORTS,
      platform: 'neutral',
      target: 'es2022',
      legalComments: 'none',
      charset: 'utf8',
      metafile: true,
      logLevel: 'silent',
      plugins: [importGuard(productDir)],
    })
  } catch (cause) {
    const errors = (cause as { errors?: { text: string; location?: { file?: string; line?: number } | null }[] }).errors ?? []
    const forbidden = errors.some((e) => e.text.includes('is not allowed'))
    throw new RuntimeError(forbidden ? 'ERR_BUNDLE_FORBIDDEN_IMPORT' : 'ERR_BUNDLE_FAILED', forbidden ? 'The product imports a module it may not use' : 'The product does not compile', {
      cause,
      details: {
        errors: errors.slice(0, 20).map((e) => ({
          text: e.text,
          file: e.location?.file === undefined ? undefined : relative(PROJECT_ROOT, resolve(PROJECT_ROOT, e.location.file)),
          line: e.location?.line,
        })),
      },
    })
  }
  const code = result.outputFiles[0]!.text
  return {
    code,
    codeHash: createHash('sha256').update(code).digest('hex'),
    files: Object.keys(result.metafile.inputs).sort(),
  }
}

