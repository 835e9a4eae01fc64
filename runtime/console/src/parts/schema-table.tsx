/**
 * A product's declared input or output (the SDK's JSON Schema subset) as a table a reviewer reads:
 * each member with its type, its bounds and whether it is required, in words.
 */
import type { ValueSchema } from '../../../products/manifest.ts'
import { useT, type LabelKey } from '../i18n.ts'

export type { ValueSchema }

type Row = { path: string; schema: ValueSchema; required: boolean; nullable: boolean }

const TYPE_LABELS: Readonly<Record<string, LabelKey>> = { string: 'typeString', number: 'typeNumber', integer: 'typeInteger', boolean: 'typeBoolean', null: 'typeNull', array: 'typeArray', object: 'typeObject' }
const IDENTIFIER_LABELS: Readonly<Record<string, LabelKey>> = { uscc: 'identifierUscc', resident_id: 'identifierResidentId', pseudonym: 'identifierPseudonym' }

function rowsOf(schema: ValueSchema, path: string, required: boolean, out: Row[], depth = 0): Row[] {
  if (depth > 6) return out
  const nullable = schema.anyOf !== undefined
  const s = schema.anyOf?.[0] ?? schema
  if (path !== '') out.push({ path, schema: s, required, nullable })
  if (s.type === 'object') for (const [name, member] of Object.entries(s.properties ?? {})) rowsOf(member, path === '' ? name : `${path}.${name}`, (s.required ?? []).includes(name), out, depth + 1)
  if (s.type === 'array' && s.items !== undefined && (s.items.type === 'object' || s.items.anyOf !== undefined)) rowsOf(s.items, `${path}[]`, true, out, depth + 1)
  return out
}

function Bounds({ schema, nullable }: { schema: ValueSchema; nullable: boolean }) {
  const t = useT()
  const parts: preact.ComponentChildren[] = []
  const { minimum: lo, maximum: hi, minLength, maxLength } = schema
  if (lo !== undefined && hi !== undefined) parts.push(t('rangeBetween').replace('{min}', String(lo)).replace('{max}', String(hi)))
  else if (lo !== undefined) parts.push(t('rangeAtLeast').replace('{min}', String(lo)))
  else if (hi !== undefined) parts.push(t('rangeAtMost').replace('{max}', String(hi)))
  if (minLength !== undefined || maxLength !== undefined) parts.push(t('lengthBetween').replace('{min}', String(minLength ?? 0)).replace('{max}', maxLength === undefined ? '∞' : String(maxLength)))
  if (schema.enum !== undefined) parts.push(<>{t('oneOf')}<code>{schema.enum.join('、')}</code></>)
  if (schema.pattern !== undefined)
    parts.push(
      <>
        {t('pattern')} <code>{schema.pattern}</code>
      </>,
    )
  if (schema.maxItems !== undefined) parts.push(t('atMostItems').replace('{n}', String(schema.maxItems)))
  if (schema.type === 'array' && schema.items !== undefined && schema.items.type !== 'object') parts.push(`${t('itemsAre')}${t(TYPE_LABELS[schema.items.type ?? ''] ?? 'typeOther')}`)
  const identifier = schema['x-identifier']
  if (identifier !== undefined) parts.push(t(IDENTIFIER_LABELS[identifier] ?? 'identifierOther'))
  if (schema['x-free-text'] === true) parts.push(t('freeText'))
  if (nullable) parts.push(t('nullable'))
  return (
    <>
      {parts.length === 0
        ? '—'
        : parts.map((p, i) => (
            <span key={i}>
              {i === 0 ? '' : '；'}
              {p}
            </span>
          ))}
    </>
  )
}

export function SchemaTable({ schema, testId }: { schema: ValueSchema; testId?: string }) {
  const t = useT()
  const rows = rowsOf(schema, '', true, [])
  if (rows.length === 0) return <p class="muted">{t('noMembers')}</p>
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('member')}</th>
          <th scope="col">{t('valueType')}</th>
          <th scope="col">{t('constraints')}</th>
          <th scope="col">{t('required')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.path}>
            <th scope="row">
              <code>{r.path}</code>
            </th>
            <td>{t(TYPE_LABELS[r.schema.type ?? ''] ?? 'typeOther')}</td>
            <td>
              <Bounds schema={r.schema} nullable={r.nullable} />
            </td>
            <td>{t(r.required ? 'yes' : 'no')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
