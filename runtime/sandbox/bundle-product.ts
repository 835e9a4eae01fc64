/**
 * Bundles a product (TypeScript) into one script for the sandbox. Only the product's own files
 * and the SDK may be imported: anything else (node builtins, npm packages, files outside the
 * product folder) fails the build with ERR_BUNDLE_FORBIDDEN_IMPORT. The code hash is the SHA-256
 * of the bundle, which is what reviews approve and releases cite.
 *
 * The bundle holds no path of the machine it was made on, so the hash is the same from any folder
 * on any machine (docs/code-hash.md): esbuild sees the product's files as `indomain-product:<path
 * inside the product folder>` and the SDK's as `indomain-sdk:<file>`, never as host paths; every
 * esbuild option that shapes the output is fixed below (no tsconfig.json is read); sources are
 * read with line endings normalized and a byte-order mark dropped, so a checkout with CRLF
 * endings hashes as one with LF.
 */
import { build, type BuildOptions, type Loader, type Plugin } from 'esbuild'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RuntimeError } from '../errors.ts'
import { BUNDLE_EXPORTS } from './protocol.ts'

export type ProductBundle = {
  readonly code: string
  /** SHA-256 of `code`, hex. */
  readonly codeHash: string
  /**
   * Files that went into the bundle: the product's own relative to its folder (`product.ts`,
   * `lib/rules.ts`), the SDK's as `sdk/<file>`. Sorted; never a host path.
   */
  readonly files: readonly string[]
}

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)))
const SDK_DIR = realpathSync(join(PROJECT_ROOT, 'sdk'))
export const SDK_SPECIFIER = 'indomain/sdk'

/** The namespaces esbuild sees the two kinds of source in: the name in the bundle is `<namespace>:<path inside it>`. */
const PRODUCT_NAMESPACE = 'indomain-product'
const SDK_NAMESPACE = 'indomain-sdk'
/** Marks the guard's own nested resolve, which the guard lets esbuild answer. */
const NESTED = Symbol('nested resolve')
/** The source kinds a product may consist of (the server accepts `.ts` only). */
const LOADERS: Readonly<Record<string, Loader>> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' }
const FORBIDDEN = 'is not allowed'

/**
 * Every esbuild option that shapes the output, fixed (esbuild itself is pinned by package-lock.json).
 * `tsconfigRaw` stands in for any tsconfig.json near the sources: ES modules are strict, so the
 * bundle is too; imports used only as types are dropped, as TypeScript does.
 */
const OUTPUT_OPTIONS = {
  bundle: true,
  write: false,
  format: 'iife',
  globalName: BUNDLE_EXPORTS,
  platform: 'neutral',
  target: 'es2022',
  charset: 'utf8',
  legalComments: 'none',
  sourcemap: false,
  minify: false,
  minifyWhitespace: false,
  minifyIdentifiers: false,
  minifySyntax: false,
  keepNames: false,
  treeShaking: true,
  ignoreAnnotations: false,
  lineLimit: 0,
  splitting: false,
  preserveSymlinks: false,
  resolveExtensions: ['.ts', '.js', '.json'],
  mainFields: [],
  conditions: [],
  define: {},
  pure: [],
  drop: [],
  tsconfigRaw: { compilerOptions: { alwaysStrict: true, useDefineForClassFields: true, verbatimModuleSyntax: false, experimentalDecorators: false } },
  metafile: true,
  logLevel: 'silent',
} as const satisfies BuildOptions

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep)
}

/** A path inside `dir`, with `/` between its parts on every system. */
function pathInside(dir: string, file: string): string {
  return relative(dir, file).split(sep).join('/')
}

function forbidden(path: string) {
  return { errors: [{ text: `import of "${path}" ${FORBIDDEN}: a product may import only its own files and ${SDK_SPECIFIER}` }] }
}

/** Resolves every import itself: the product's files and the SDK's into their namespaces, anything else refused. */
function productSources(productDir: string): Plugin {
  const roots: Readonly<Record<string, string>> = { [PRODUCT_NAMESPACE]: productDir, [SDK_NAMESPACE]: SDK_DIR }
  return {
    name: 'indomain-product-sources',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === NESTED) return undefined
        if (args.path === SDK_SPECIFIER) return { path: 'index.ts', namespace: SDK_NAMESPACE }
        if (!args.path.startsWith('.') && !args.path.startsWith('/')) return forbidden(args.path)
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: NESTED })
        if (found.errors.length > 0) return { errors: found.errors }
        const target = realpathSync(found.path)
        // a product's files import each other and the SDK; the SDK imports only itself
        const allowed = args.namespace === SDK_NAMESPACE ? [SDK_NAMESPACE] : [PRODUCT_NAMESPACE, SDK_NAMESPACE]
        const namespace = allowed.find((n) => inside(target, roots[n]!))
        return namespace === undefined ? forbidden(args.path) : { path: pathInside(roots[namespace]!, target), namespace }
      })
      b.onLoad({ filter: /.*/ }, (args) => {
        const file = join(roots[args.namespace]!, ...args.path.split('/'))
        const loader = LOADERS[extname(file)]
        if (loader === undefined) return { errors: [{ text: 'a product consists of TypeScript, JavaScript and JSON files only' }] }
        // CRLF or CR endings and a byte-order mark are how a checkout was made, not the product
        const contents = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
        return { contents, loader, resolveDir: dirname(file) }
      })
    },
  }
}

/** The name a bundle input is listed under in `ProductBundle.files`. */
function fileName(input: string): string {
  const [namespace, ...rest] = input.split(':')
  const path = rest.join(':')
  return namespace === SDK_NAMESPACE ? `sdk/${path}` : path
}

type BuildFailure = { errors?: { text: string; location?: { file?: string; line?: number } | null }[] }

export async function bundleProduct(productDirectory: string): Promise<ProductBundle> {
  const productDir = existsSync(productDirectory) ? realpathSync(resolve(productDirectory)) : resolve(productDirectory)
  const entry = ['product.ts', 'index.ts'].find((f) => existsSync(join(productDir, f)))
  if (entry === undefined) {
    throw new RuntimeError('ERR_PRODUCT_NOT_FOUND', 'No product.ts in the product folder', { details: { dir: productDirectory } })
  }
  let result
  try {
    result = await build({ ...OUTPUT_OPTIONS, entryPoints: [`./${entry}`], absWorkingDir: productDir, plugins: [productSources(productDir)] })
  } catch (cause) {
    const errors = (cause as BuildFailure).errors ?? []
    const refused = errors.some((e) => e.text.includes(FORBIDDEN))
    throw new RuntimeError(refused ? 'ERR_BUNDLE_FORBIDDEN_IMPORT' : 'ERR_BUNDLE_FAILED', refused ? 'The product imports a module it may not use' : 'The product does not compile', {
      cause,
      details: {
        problems: errors.slice(0, 20).map((e) => {
          const file = e.location?.file === undefined ? undefined : fileName(e.location.file)
          return { path: file === undefined ? '' : `${file}${e.location?.line === undefined ? '' : `:${e.location.line}`}`, problem: e.text }
        }),
      },
    })
  }
  const code = result.outputFiles[0]!.text
  return {
    code,
    codeHash: createHash('sha256').update(code).digest('hex'),
    files: Object.keys(result.metafile.inputs).map(fileName).sort(),
  }
}
