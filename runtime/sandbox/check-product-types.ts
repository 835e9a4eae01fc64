/**
 * Type-checks a product before it runs or is accepted (`indomain dev`, the server's upload): a
 * type error is the partner's to see at once, not a surprise in the sandbox. TypeScript's compiler
 * API only, loaded on first use (it is large, and most commands never need it).
 *
 * The check starts at the product's entry (product.ts, or index.ts) and follows its imports, with
 * fixed compiler options (no tsconfig.json is read): strict, as the repository's own products are
 * checked, and `indomain/sdk` resolved to the SDK. Only diagnostics in the product's own files are
 * reported, as ERR_PRODUCT_INVALID with `problems: [{ path: '<file>:<line>', problem }]`; file
 * names are relative to the product folder and host paths are taken out of the compiler's text.
 */
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type TypeScript from 'typescript'
import { RuntimeError } from '../errors.ts'
import { SDK_SPECIFIER } from './bundle-product.ts'

type Ts = typeof TypeScript

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)))
const SDK_DIR = realpathSync(join(PROJECT_ROOT, 'sdk'))
/** At most this many problems are reported (the first ones, in file and line order). */
const MAX_PROBLEMS = 50

export type TypeProblem = { readonly path: string; readonly problem: string }

let typescript: Promise<Ts> | undefined
/** Parsed files outside the product (the standard library, the SDK), reused while their text is unchanged. */
const kept = new Map<string, { readonly text: string; readonly file: TypeScript.SourceFile }>()

function optionsOf(ts: Ts): TypeScript.CompilerOptions {
  return {
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    isolatedModules: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    paths: { [SDK_SPECIFIER]: [join(SDK_DIR, 'index.ts')] },
  }
}

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep)
}

/**
 * A compiler host that sees only the product folder, the SDK and TypeScript's standard library, and
 * keeps what it parsed outside the product folder between checks. A type-only import is erased
 * before the bundler's import guard sees it, so this is where a type import of a host file (a
 * key store, the runtime's sources) is stopped: it is a missing module, its text never read.
 */
function hostFor(ts: Ts, options: TypeScript.CompilerOptions, productDir: string): TypeScript.CompilerHost {
  const host = ts.createCompilerHost(options, true)
  const roots = [productDir, SDK_DIR, dirname(ts.getDefaultLibFilePath(options))]
  const visible = (path: string) => roots.some((root) => inside(resolve(path), root))
  const fileExists = host.fileExists.bind(host)
  const readFile = host.readFile.bind(host)
  const directoryExists = host.directoryExists?.bind(host)
  host.fileExists = (path) => visible(path) && fileExists(path)
  host.readFile = (path) => (visible(path) ? readFile(path) : undefined)
  // the folders above the product (node_modules, @types) are not looked into
  host.directoryExists = (path) => visible(path) && (directoryExists?.(path) ?? true)
  host.getDirectories = () => []
  const parse = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, languageVersion, onError, fresh) => {
    if (!visible(fileName)) return undefined
    if (inside(resolve(fileName), productDir)) return parse(fileName, languageVersion, onError, fresh)
    const text = host.readFile(fileName)
    if (text === undefined) return undefined
    const hit = kept.get(fileName)
    if (hit !== undefined && hit.text === text) return hit.file
    const file = ts.createSourceFile(fileName, text, languageVersion, true)
    kept.set(fileName, { text, file })
    return file
  }
  return host
}

/** The compiler's text without the host's paths: the product folder becomes `.`, the SDK `indomain/sdk`. */
function withoutHostPaths(text: string, productDir: string): string {
  return text.split(productDir).join('.').split(SDK_DIR).join(SDK_SPECIFIER).split(PROJECT_ROOT).join('<indomain>')
}

/** Every type error in the product's own files, in file and line order; none for a correct product. */
export async function typeProblemsOf(productDirectory: string): Promise<TypeProblem[]> {
  const productDir = realpathSync(resolve(productDirectory))
  const entry = ['product.ts', 'index.ts'].map((f) => join(productDir, f)).find((f) => existsSync(f))
  if (entry === undefined) {
    throw new RuntimeError('ERR_PRODUCT_NOT_FOUND', 'No product.ts in the product folder', { details: { dir: productDirectory } })
  }
  const ts = await (typescript ??= import('typescript').then((m) => m.default))
  const options = optionsOf(ts)
  const program = ts.createProgram({ rootNames: [entry], options, host: hostFor(ts, options, productDir) })
  const problems: { file: string; line: number; problem: string }[] = []
  for (const source of program.getSourceFiles()) {
    if (!inside(resolve(source.fileName), productDir)) continue
    const file = relative(productDir, resolve(source.fileName)).split(sep).join('/')
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      if (d.category !== ts.DiagnosticCategory.Error) continue
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1
      problems.push({ file, line, problem: withoutHostPaths(ts.flattenDiagnosticMessageText(d.messageText, '\n'), productDir) })
    }
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  return problems.slice(0, MAX_PROBLEMS).map((p) => ({ path: `${p.file}:${p.line}`, problem: p.problem }))
}

/** Refuses a product with a type error: ERR_PRODUCT_INVALID naming each `file:line` and the compiler's message. */
export async function checkProductTypes(productDirectory: string): Promise<void> {
  refuseTypeProblems(await typeProblemsOf(productDirectory))
}

/** ERR_PRODUCT_INVALID naming each problem, when there are any. */
export function refuseTypeProblems(problems: readonly TypeProblem[]): void {
  if (problems.length > 0) throw new RuntimeError('ERR_PRODUCT_INVALID', 'The product has type errors', { details: { problems } })
}

