/**
 * `indomain new <dir>`: scaffolds a product that builds and runs with `indomain dev`, and prints
 * the `indomain dev` command to try it with a key that works as printed: an employer with payment
 * rows in the synthetic store dev will use (built first when missing, as dev would build it). A
 * store of real data is never read for an example: its identifiers are not to be printed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { openStore, quoteIdentifier, readStoreProperties } from '../store/index.ts'
import { buildWithProgress } from './catalog-commands.ts'

/** The table the template reads and its key field: the example key must have rows there. */
const TEMPLATE_TABLE = 'social_insurance_payment'
const TEMPLATE_KEY = 'employer_uscc'

export function registerNewCommand(program: Command): void {
  program
    .command('new <dir>')
    .description('scaffold a new product (product.ts and README.md) written against the SDK')
    .action(async (dir: string) => {
      const target = resolve(dir)
      if (existsSync(join(target, 'product.ts'))) {
        throw new RuntimeError('ERR_CONFLICT', 'A product already exists in this folder', { details: { dir } })
      }
      const id = basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-product'
      mkdirSync(target, { recursive: true })
      writeFileSync(join(target, 'product.ts'), productTemplate(/^[a-z]/.test(id) ? id : `p-${id}`))
      writeFileSync(join(target, 'README.md'), readmeTemplate(id))
      process.stdout.write(`created ${join(dir, 'product.ts')} and ${join(dir, 'README.md')}\n`)
      const key = await loadExampleKey()
      process.stdout.write(
        key === undefined
          ? `try: npx indomain dev ${shellWord(dir)} --input '{"uscc":"<a USCC in your store>"}'\n`
          : `try: npx indomain dev ${shellWord(dir)} --input '{"uscc":"${key}"}'\n`,
      )
    })
}

/**
 * The employer with the most payment rows in the store `indomain dev` uses (the first such code,
 * for a store built the same way, is the same); undefined for a store of real data.
 */
async function loadExampleKey(): Promise<string | undefined> {
  const config = loadConfig()
  if (!existsSync(config.storePath)) {
    process.stderr.write(`building a synthetic store at ${config.storePath} (indomain dev runs on it)\n`)
    await buildWithProgress(config, config.storePath, config.sampleScale, config.sampleSeed)
  }
  const store = await openStore(config.storePath, { access: 'read-only' })
  try {
    if ((await readStoreProperties(store)).get('origin') !== 'synthetic') return undefined
    const key = quoteIdentifier(TEMPLATE_KEY)
    const found = await store.connection.runAndReadAll(`SELECT ${key} FROM ${quoteIdentifier(TEMPLATE_TABLE)} WHERE ${key} IS NOT NULL GROUP BY ${key} ORDER BY count(*) DESC, ${key} LIMIT 1`)
    const first = found.getRowsJS()[0]?.[0]
    return typeof first === 'string' ? first : undefined
  } finally {
    store.close()
  }
}

/** `text` as one word of a POSIX shell command, quoted only when it has to be. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`
}

function productTemplate(id: string): string {
  return `import { defineProduct, t, gapSummary } from 'indomain/sdk'

/** The window of months the answer looks at (\`YYYYMM\`). */
const FROM = '202401'
const TO = '202512'

/**
 * ${id}: describe what the product answers, for whom, and why each field is needed.
 */
export default defineProduct({
  id: '${id}',
  version: '0.1.0',
  kind: 'api',
  title: '新产品',
  category: '产业发展',
  description: 'What this product tells its consumers.',
  entityKey: 'uscc',
  scenario: {
    purpose: 'State the purpose of the data use in one sentence.',
    tables: {
      social_insurance_payment: {
        key: 'employer_uscc',
        fields: { period: '判断缴费连续性', payment_status: '识别欠缴' },
      },
    },
  },
  input: t.object({ uscc: t.uscc() }),
  // a one-entity answer is bounded: every number has a minimum and a maximum
  output: t.object({ insuredMonths: t.integer({ minimum: 0, maximum: 24 }), longestGap: t.integer({ minimum: 0, maximum: 24 }) }),
  run(ctx) {
    // months of the window with contributions paid (late payments count, arrears do not)
    const paid = ctx
      .rows('social_insurance_payment')
      .filter((r) => r.payment_status !== '欠缴')
      .map((r) => String(r.period))
      .filter((period) => period >= FROM && period <= TO)
    const gaps = gapSummary(paid, FROM, TO)
    return { insuredMonths: new Set(paid).size, longestGap: gaps.longest }
  },
})
`
}

function readmeTemplate(id: string): string {
  return `# ${id}

- **Purpose:** …
- **Category:** 产业发展 (charged) / 公共治理 (free)
- **Consumers:** …
- **Input:** …
- **Output:** …
- **Tables and fields used, and why:** …
- **Release rules that apply:** …

Run it locally: \`npx indomain dev <this folder> --input '{"uscc":"…"}'\`
`
}
