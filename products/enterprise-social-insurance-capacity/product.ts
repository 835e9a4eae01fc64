import { defineProduct, t } from 'indomain/sdk'

/**
 * 企业社保缴存能力评估 — the social-insurance contribution capacity of enterprises by district: how
 * many people their employers insure there and their average contribution base. The base is a
 * sensitive figure its provider (市人社局) keeps encrypted: the runtime averages it over
 * ciphertexts, districts with few insured people are suppressed before anything is decrypted,
 * and this product only ever sees the released district averages.
 */

const district = t.object({
  district: t.string({ maxLength: 12, pattern: '^\\d{6}$' }),
  enrollees: t.integer({ minimum: 0 }),
  averageBase: t.number({ minimum: 0 }),
})

export default defineProduct({
  id: 'enterprise-social-insurance-capacity',
  version: '2.0.0',
  kind: 'report',
  title: '企业社保缴存能力评估',
  category: '公共治理',
  description: '按区县统计参保单位的参保人数与平均缴费基数，缴费基数以同态加密方式计算，小样本区县不予发布，产品不接触任何明细或密文。',
  scenario: {
    purpose: '评估各区县企业社保缴存能力，支撑就业与社保政策评估（缴费基数仅以同态加密聚合方式使用）',
    tables: {
      social_insurance_enrollment: {
        fields: {
          contribution_base: '缴费基数，仅参与同态加密下的按区县求和与均值',
          employer_uscc: '关联参保单位所在区县（仅用于关联，不出现在结果中）',
        },
      },
      enterprise_basic: {
        fields: {
          uscc: '关联键',
          district_code: '按区县分组统计',
        },
      },
    },
  },
  encrypted: {
    base_by_district: {
      table: 'social_insurance_enrollment',
      field: 'contribution_base',
      by: { table: 'enterprise_basic', field: 'district_code', via: 'employer_uscc' },
      ops: ['count', 'mean'],
    },
  },
  input: t.object({}),
  output: t.object({
    districts: t.array(district, { maxItems: 500 }),
    suppressedDistricts: t.integer({ minimum: 0 }),
  }),
  run(ctx) {
    const { cells, suppressed } = ctx.aggregate('base_by_district')
    const districts: { district: string; enrollees: number; averageBase: number }[] = []
    let suppressedDistricts = suppressed
    for (const c of cells) {
      const mean = c.values.mean
      if (mean === undefined || Number.isNaN(mean)) {
        suppressedDistricts++
        continue
      }
      districts.push({ district: c.by.group ?? '', enrollees: c.count, averageBase: Math.round(mean * 100) / 100 })
    }
    return { districts, suppressedDistricts }
  },
})
