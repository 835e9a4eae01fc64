/**
 * A product's manifest as a reviewer reads it: what it is, what it reads from which tables and
 * why, what it takes and what it answers, and for datasets and reports its unit, aggregates and
 * rows, all in words (catalog labels for tables and fields, names for kinds, masks and measures).
 */
import { CATEGORY_NAMES, MASK_RULE_NAMES, PRODUCT_KIND_NAMES } from '../../../dictionary/index.ts'
import type { CatalogMetadata } from '../catalog.ts'
import { useName, useT, type LabelKey } from '../i18n.ts'
import { Facts } from './facts.tsx'
import { SchemaTable, type ValueSchema } from './schema-table.tsx'

type Dimension = { values?: string[]; edges?: number[]; pattern?: string; maxLength?: number }
type Measure = Partial<Record<'sum' | 'mean' | 'min' | 'max', { min: number; max: number }>> & { quantile?: { q: number; min: number; max: number }; regression?: { x: string[]; min: number; max: number } }
type RowField = { values?: string[]; pattern?: string; maxLength?: number; min?: number; max?: number; boolean?: true; codes?: string[] }

export type Manifest = {
  id: string
  version: string
  kind: string
  title: string
  category: string
  description: string
  entityKey?: string
  scenario: { purpose: string; tables: Record<string, { key?: string; fields: Record<string, string>; masks?: Record<string, string> }> }
  input: ValueSchema
  output: ValueSchema
  unit?: string
  aggregates?: Record<string, { by: Record<string, Dimension>; measures?: Record<string, Measure>; maxCellsPerUnit?: number }>
  rows?: { fields: Record<string, RowField>; quasi: string[] }
  encrypted?: Record<string, { table: string; field: string; by: { table: string; field: string }; ops: string[] }>
}

const MEASURES: readonly (readonly [keyof Measure, LabelKey])[] = [['sum', 'measureSum'], ['mean', 'measureMean'], ['min', 'measureMin'], ['max', 'measureMax'], ['quantile', 'measureQuantile'], ['regression', 'measureRegression']]

function describeDimension(d: Dimension, t: (k: LabelKey) => string): preact.ComponentChildren {
  if (d.values !== undefined) return <>{t('oneOf')}<code>{d.values.join('、')}</code></>
  if (d.edges !== undefined) return `${t('dimensionEdges')}${d.edges.join('、')}`
  return (
    <>
      {t('pattern')} <code>{d.pattern}</code>
    </>
  )
}

function describeMeasure(m: Measure, t: (k: LabelKey) => string): string {
  for (const [key, label] of MEASURES) {
    const spec = m[key]
    if (spec === undefined) continue
    const range = t('rangeBetween').replace('{min}', String(spec.min)).replace('{max}', String(spec.max))
    if (key === 'quantile') return `${t(label)} ${(m.quantile!.q * 100).toFixed(0)}%（${range}）`
    if (key === 'regression') return `${t(label)}（${t('regressors')}${m.regression!.x.join('、')}；${range}）`
    return `${t(label)}（${range}）`
  }
  return '—'
}

function describeRowField(f: RowField, t: (k: LabelKey) => string): preact.ComponentChildren {
  if (f.values !== undefined) return <>{t('oneOf')}<code>{f.values.join('、')}</code></>
  if (f.codes !== undefined) return <>{t('codes')}<code>{f.codes.join('、')}</code></>
  if (f.boolean === true) return t('typeBoolean')
  if (f.min !== undefined) return t('rangeBetween').replace('{min}', String(f.min)).replace('{max}', String(f.max))
  return (
    <>
      {t('pattern')} <code>{f.pattern}</code>
    </>
  )
}

export function ManifestView({ manifest: m, catalog }: { manifest: Manifest; catalog: CatalogMetadata | undefined }) {
  const t = useT()
  const name = useName()
  const table = (id: string) => catalog?.tables.find((x) => x.id === id)
  const fieldLabel = (tableId: string, field: string) => table(tableId)?.fields.find((f) => f.name === field)?.label
  return (
    <div data-testid="manifest">
      <Facts
        facts={[
          [t('productTitle'), m.title],
          [t('productId'), <code>{m.id}</code>],
          [t('version'), m.version],
          [t('kind'), name(PRODUCT_KIND_NAMES, m.kind)],
          [t('category'), name(CATEGORY_NAMES, m.category)],
          [t('description'), m.description === '' ? '—' : m.description],
          [t('purpose'), m.scenario.purpose],
          m.entityKey !== undefined && [t('entityKey'), <code>{m.entityKey}</code>],
          m.unit !== undefined && [t('unit'), <>{table(m.unit)?.title ?? ''} <code>{m.unit}</code></>],
        ]}
      />
      <h3>{t('fieldsRead')}</h3>
      <table data-testid="manifest-fields">
        <thead>
          <tr>
            <th scope="col">{t('table')}</th>
            <th scope="col">{t('field')}</th>
            <th scope="col">{t('justification')}</th>
            <th scope="col">{t('maskAsked')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(m.scenario.tables).flatMap(([tableId, spec]) =>
            Object.entries(spec.fields).map(([field, why]) => (
              <tr key={`${tableId}.${field}`}>
                <td>
                  {table(tableId)?.title ?? ''} <code class="small">{tableId}</code>
                </td>
                <th scope="row">
                  {fieldLabel(tableId, field) ?? ''} <code class="small">{field}</code>
                  {spec.key === field ? <span class="badge">{t('keyField')}</span> : null}
                </th>
                <td class="clip">{why}</td>
                <td>{spec.masks?.[field] === undefined ? t('catalogDefault') : name(MASK_RULE_NAMES, spec.masks[field]!)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <h3>{t('input')}</h3>
      <SchemaTable schema={m.input} />
      <h3>{t('outputDeclared')}</h3>
      <SchemaTable schema={m.output} testId="manifest-output" />
      {m.aggregates === undefined ? null : (
        <>
          <h3>{t('aggregates')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('aggregate')}</th>
                <th scope="col">{t('dimensions')}</th>
                <th scope="col">{t('measures')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(m.aggregates).map(([aggregate, a]) => (
                <tr key={aggregate}>
                  <th scope="row">
                    <code>{aggregate}</code>
                  </th>
                  <td>
                    <ul class="plain">
                      {Object.entries(a.by).map(([d, spec]) => (
                        <li key={d}>
                          <code>{d}</code>：{describeDimension(spec, t)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {Object.keys(a.measures ?? {}).length === 0 ? (
                      t('countOnly')
                    ) : (
                      <ul class="plain">
                        {Object.entries(a.measures ?? {}).map(([measure, spec]) => (
                          <li key={measure}>
                            <code>{measure}</code>：{describeMeasure(spec, t)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {m.rows === undefined ? null : (
        <>
          <h3>{t('rowFields')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('member')}</th>
                <th scope="col">{t('constraints')}</th>
                <th scope="col">{t('quasiIdentifier')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(m.rows.fields).map(([field, spec]) => (
                <tr key={field}>
                  <th scope="row">
                    <code>{field}</code>
                  </th>
                  <td>{describeRowField(spec, t)}</td>
                  <td>{t(m.rows!.quasi.includes(field) ? 'yes' : 'no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {m.encrypted === undefined ? null : (
        <>
          <h3>{t('encryptedAggregates')}</h3>
          <ul>
            {Object.entries(m.encrypted).map(([e, spec]) => (
              <li key={e}>
                <code>{e}</code>：{fieldLabel(spec.table, spec.field) ?? ''} <code class="small">{`${spec.table}.${spec.field}`}</code> · {t('groupedBy')} {fieldLabel(spec.by.table, spec.by.field) ?? ''} <code class="small">{`${spec.by.table}.${spec.by.field}`}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
