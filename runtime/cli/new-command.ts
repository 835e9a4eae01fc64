/** `indomain new <dir>`: scaffolds a product that builds and runs with `indomain dev`. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { Command } from 'commander'
import { RuntimeError } from '../errors.ts'

export function registerNewCommand(program: Command): void {
  program
    .command('new <dir>')
    .description('scaffold a new product (product.ts and README.md) written against the SDK')
    .action((dir: string) => {
      const target = resolve(dir)
      if (existsSync(join(target, 'product.ts'))) {
        throw new RuntimeError('ERR_CONFLICT', 'A product already exists in this folder', { details: { dir } })
      }
      const id = basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-product'
      mkdirSync(target, { recursive: true })
      writeFileSync(join(target, 'product.ts'), productTemplate(/^[a-z]/.test(id) ? id : `p-${id}`))
      writeFileSync(join(target, 'README.md'), readmeTemplate(id))
      process.stdout.write(`created ${join(dir, 'product.ts')} and ${join(dir, 'README.md')}\ntry: npx indomain dev ${dir} --input '{"uscc":"<a code from indomain catalog>"}'\n`)
    })
}

function productTemplate(id: string): string {
  return `import { defineProduct, t, gapSummary } from 'indomain/sdk'

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
  output: t.object({ insuredMonths: t.integer({ minimum: 0 }), longestGap: t.integer({ minimum: 0 }) }),
  run(ctx) {
    const paid = ctx.rows('social_insurance_payment').map((r) => String(r.period))
    const gaps = gapSummary(paid, '202401', '202512')
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
