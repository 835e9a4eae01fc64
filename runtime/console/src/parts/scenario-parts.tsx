/**
 * A scenario as both sides read it: its facts, each field's decision (approved with which mask,
 * denied with which reason) with the catalog's label, level and identifier kind, each table's
 * lookup key, and its history with the reasons given. The operator's review page and the
 * partner's own page show the same words.
 */
import { CATEGORY_NAMES, FIELD_DECISION_NAMES, IDENTIFIER_KIND_NAMES, LEVEL_NAMES, SCENARIO_HISTORY_NAMES, SCENARIO_STATUS_NAMES } from '../../../dictionary/index.ts'
import { describeMask, type CatalogField, type CatalogMetadata, type MaskRule } from '../catalog.ts'
import { useName, useT, type LabelKey } from '../i18n.ts'
import { ReleaseRulesView, type ReleaseRules } from './audit-detail.tsx'
import { Facts } from './facts.tsx'
import { StatusBadge, When } from './feedback.tsx'
import { ActorName, PartnerName, ProductName } from './names.tsx'

export type ScenarioField = { table: string; field: string; justification: string; decision: 'pending' | 'approved' | 'denied'; mask?: MaskRule; reason?: string }
export type Scenario = {
  id: string
  partner: string
  product: string | null
  purpose: string
  category: string
  status: 'pending' | 'approved' | 'denied' | 'revoked'
  keys: Record<string, string>
  fields: ScenarioField[]
  rowFilters: Record<string, { field: string; values: string[] }>
  expiresOn: string | null
  revision: number
  /** What may leave beyond the defaults (answer fields, rows, differential privacy). */
  release?: ReleaseRules
  history: { at: string; actor: string; action: string; detail: string }[]
}

export const definitionOf = (catalog: CatalogMetadata | undefined, table: string, field: string): CatalogField | undefined =>
  catalog?.tables.find((x) => x.id === table)?.fields.find((x) => x.name === field)

export function ScenarioFacts({ scenario: s, withPartner }: { scenario: Scenario; withPartner: boolean }) {
  const t = useT()
  const name = useName()
  return (
    <Facts
      testId="scenario-facts"
      facts={[
        [t('status'), <StatusBadge status={s.status} names={SCENARIO_STATUS_NAMES} />],
        withPartner && [t('partner'), <PartnerName id={s.partner} withId />],
        [t('product'), s.product === null ? '—' : <ProductName id={s.product} withId />],
        [t('category'), name(CATEGORY_NAMES, s.category)],
        [t('purpose'), s.purpose],
        [t('expiresOn'), s.expiresOn === null ? '—' : `${s.expiresOn}（${t('inclusive')}）`],
        s.release !== undefined && [t('releaseRules'), <ReleaseRulesView rules={s.release} />],
        [t('revision'), String(s.revision)],
      ]}
    />
  )
}

/** A field as the catalog names it: its label, and its name as code. */
export function FieldLabel({ field, definition }: { field: string; definition: CatalogField | undefined }) {
  return (
    <>
      {definition?.label ?? ''} <code class="small">{field}</code>
    </>
  )
}

export function LevelBadge({ definition }: { definition: CatalogField | undefined }) {
  const t = useT()
  const name = useName()
  if (definition === undefined) return <>—</>
  return (
    <>
      <span class={`badge level-${definition.level}`}>{definition.level}</span>
      <span class="small">{name(LEVEL_NAMES, definition.level)}</span>
      {definition.personal ? <span class="badge">{t('personal')}</span> : null}
    </>
  )
}

/** The head of a table of a scenario's fields: what the catalog and the partner say, then `more`. */
export function FieldTableHead({ more }: { more: readonly LabelKey[] }) {
  const t = useT()
  return (
    <thead>
      <tr>
        {(['field', 'level', 'identifier', 'justification', ...more] as const).map((label) => (
          <th scope="col" key={label}>
            {t(label)}
          </th>
        ))}
      </tr>
    </thead>
  )
}

/** A field's first cells: its label (and whether it is the table's key), level, identifier kind, the partner's justification. */
export function FieldCells({ field, definition, isKey = false }: { field: ScenarioField; definition: CatalogField | undefined; isKey?: boolean }) {
  const t = useT()
  const name = useName()
  return (
    <>
      <th scope="row">
        <FieldLabel field={field.field} definition={definition} />
        {isKey ? <span class="badge">{t('keyField')}</span> : null}
      </th>
      <td>
        <LevelBadge definition={definition} />
      </td>
      <td>{definition === undefined ? '—' : name(IDENTIFIER_KIND_NAMES, definition.identifier)}</td>
      <td class="clip">{field.justification}</td>
    </>
  )
}

/** Each table's fields and their decisions, read-only. */
export function ScenarioDecisions({ scenario, catalog }: { scenario: Scenario; catalog: CatalogMetadata | undefined }) {
  const t = useT()
  const name = useName()
  const tables = [...new Set(scenario.fields.map((f) => f.table))]
  return (
    <>
      {tables.map((table) => {
        const definition = catalog?.tables.find((x) => x.id === table)
        const key = scenario.keys[table]
        return (
          <section key={table} class="card" aria-labelledby={`decided-${scenario.id}-${table}`}>
            <h3 id={`decided-${scenario.id}-${table}`}>
              {definition?.title ?? ''} <code class="small">{table}</code>
            </h3>
            <p class="small">
              {t('keyField')}：{key === undefined ? t('noKey') : <FieldLabel field={key} definition={definitionOf(catalog, table, key)} />}
              {scenario.rowFilters[table] === undefined ? null : (
                <>
                  {' · '}
                  {t('rowFilter')}：<FieldLabel field={scenario.rowFilters[table]!.field} definition={definitionOf(catalog, table, scenario.rowFilters[table]!.field)} />
                  {' = '}
                  {scenario.rowFilters[table]!.values.join('、')}
                </>
              )}
            </p>
            <table data-testid={`decisions-${table}`}>
              <FieldTableHead more={['decision', 'maskOrReason']} />
              <tbody>
                {scenario.fields
                  .filter((f) => f.table === table)
                  .map((f) => {
                    const d = definitionOf(catalog, f.table, f.field)
                    return (
                      <tr key={f.field} data-testid={`decided-${f.table}.${f.field}`} class={`decision-${f.decision}`}>
                        <FieldCells field={f} definition={d} isKey={key === f.field} />
                        <td>
                          <StatusBadge status={f.decision} names={FIELD_DECISION_NAMES} />
                        </td>
                        <td class="clip">{f.decision === 'approved' && f.mask !== undefined ? describeMask(f.mask, name) : f.decision === 'denied' ? f.reason ?? '' : '—'}</td>
                      </tr>
                    )
                  })}
              </tbody>
            </table>
          </section>
        )
      })}
    </>
  )
}

type HistoryDetail = { reason?: unknown; expiresOn?: unknown; fields?: unknown; tables?: unknown }

function parseDetail(detail: string): HistoryDetail {
  try {
    const parsed: unknown = JSON.parse(detail)
    return typeof parsed === 'object' && parsed !== null ? (parsed as HistoryDetail) : {}
  } catch {
    return {}
  }
}

/** What a history entry says: its reason, or what was decided, in words. */
function HistoryDetailView({ action, detail }: { action: string; detail: string }) {
  const t = useT()
  const d = parseDetail(detail)
  if (typeof d.reason === 'string') return <>{t('reason')}：{d.reason}</>
  if (action === 'requested' && Array.isArray(d.tables)) return <>{t('tablesRequested').replace('{n}', String(d.tables.length))}</>
  if (Array.isArray(d.fields)) {
    const fields = d.fields as { decision?: string }[]
    const approved = fields.filter((f) => f.decision === 'approved').length
    return (
      <>
        {t('fieldsDecided').replace('{approved}', String(approved)).replace('{denied}', String(fields.length - approved))}
        {typeof d.expiresOn === 'string' ? ` · ${t('expiresOn')} ${d.expiresOn}` : ''}
      </>
    )
  }
  return <>—</>
}

export function ScenarioHistory({ history }: { history: Scenario['history'] }) {
  const t = useT()
  const name = useName()
  return (
    <table class="history" data-testid="scenario-history">
      <thead>
        <tr>
          <th scope="col">{t('timeBeijing')}</th>
          <th scope="col">{t('actor')}</th>
          <th scope="col">{t('action')}</th>
          <th scope="col">{t('detail')}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h, i) => (
          <tr key={i}>
            <td>
              <When at={h.at} />
            </td>
            <td>
              <ActorName id={h.actor} />
            </td>
            <td>{name(SCENARIO_HISTORY_NAMES, h.action)}</td>
            <td class="clip">
              <HistoryDetailView action={h.action} detail={h.detail} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
