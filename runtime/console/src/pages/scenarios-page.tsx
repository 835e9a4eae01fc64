/**
 * 场景审核 (一场景一审核): the scenario requests, and one request decided field by field. Each
 * field shows its catalog label, classification level and identifier kind, the partner's
 * justification and the catalog's default mask; the operator approves it with a mask or denies it
 * with a reason, sets each table's lookup key, row filters and the expiry, and the decision is
 * recorded with their name. The form checks what it can before sending, in words.
 */
import { useState } from 'preact/hooks'
import { CATEGORY_NAMES, MASK_RULE_NAMES, GENERALIZE_TARGET_NAMES, SCENARIO_STATUS_NAMES, type Names } from '../../../dictionary/index.ts'
import { api, query } from '../api.ts'
import { describeMask, loadCatalog, type CatalogField, type CatalogMetadata, type MaskRule } from '../catalog.ts'
import { cityDay } from '../format.ts'
import { useName, useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, FormProblems, Loading, StatusBadge } from '../parts/feedback.tsx'
import { PartnerName, ProductName } from '../parts/names.tsx'
import { ReasonAction } from '../parts/reason-action.tsx'
import { definitionOf, FieldCells, FieldTableHead, ScenarioDecisions, ScenarioFacts, ScenarioHistory, type Scenario, type ScenarioField } from '../parts/scenario-parts.tsx'
import { useLoad } from '../parts/use-load.ts'
import { useStandingChange } from '../parts/use-standing-change.ts'
import type { Session } from '../session.ts'

const STATUSES = ['pending', 'approved', 'denied', 'revoked'] as const

export function ScenariosPage({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const [status, setStatus] = useState<string>('pending')
  const list = useLoad(() => api<{ scenarios: Scenario[] }>(`/v1/operator/scenarios${query({ status })}`, { credential: session.credential }), [status, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_scenarios')}</h1>
      <StatusFilter value={status} options={STATUSES} names={SCENARIO_STATUS_NAMES} onChange={setStatus} />
      <ErrorNote error={list.error} />
      {list.loading ? <Loading /> : null}
      {list.data === undefined ? null : list.data.scenarios.length === 0 ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('scenario')}</th>
              <th scope="col">{t('partner')}</th>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('category')}</th>
              <th scope="col">{t('purpose')}</th>
              <th scope="col" class="num">{t('fields')}</th>
              <th scope="col">{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.scenarios.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <a href={`#/scenarios/${encodeURIComponent(s.id)}`}>
                    <code>{s.id}</code>
                  </a>
                </th>
                <td>
                  <PartnerName id={s.partner} />
                </td>
                <td>{s.product === null ? '—' : <ProductName id={s.product} />}</td>
                <td>{name(CATEGORY_NAMES, s.category)}</td>
                <td class="clip">{s.purpose}</td>
                <td class="num">{s.fields.length}</td>
                <td>
                  <StatusBadge status={s.status} names={SCENARIO_STATUS_NAMES} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function StatusFilter({ value, options, names, onChange }: { value: string; options: readonly string[]; names: Readonly<Record<string, Names>>; onChange: (v: string) => void }) {
  const t = useT()
  const name = useName()
  return (
    <label class="filter">
      {t('status')}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('all')}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {name(names, o)}
          </option>
        ))}
      </select>
    </label>
  )
}

/** One field's decision as the form holds it; `mask` is the stored or default mask, sent unchanged unless edited. */
type Draft = { decision: 'pending' | 'approve' | 'deny'; mask: MaskRule; edited: boolean; rule: MaskRule['rule']; to: string; bounds: string; keepStart: string; keepEnd: string; reason: string }

function draftOf(field: ScenarioField, definition: CatalogField | undefined, isKey: boolean): Draft {
  const mask: MaskRule = field.mask ?? (isKey ? { rule: 'keep' } : definition?.mask ?? { rule: 'drop' })
  return {
    decision: field.decision === 'approved' ? 'approve' : field.decision === 'denied' ? 'deny' : 'pending',
    mask,
    edited: false,
    rule: mask.rule,
    to: mask.rule === 'generalize' ? mask.to : definition?.generalizeTargets[0] ?? '',
    bounds: mask.rule === 'bucketize' ? mask.bounds.join(', ') : '',
    keepStart: mask.rule === 'partial' && mask.keepStart !== undefined ? String(mask.keepStart) : '',
    keepEnd: mask.rule === 'partial' && mask.keepEnd !== undefined ? String(mask.keepEnd) : '',
    reason: field.reason ?? '',
  }
}

const BOUND = /^-?\d+(?:\.\d+)?$/
const KEEP = /^(?:[0-9]|[12][0-9]|3[0-2])$/

/** The mask a draft stands for, or what is wrong with it. */
function maskOf(draft: Draft, isKey: boolean): MaskRule | 'bounds' | 'keep' {
  // a table's lookup key is kept as it is: the product is called with it
  if (isKey) return { rule: 'keep' }
  if (!draft.edited) return draft.mask
  switch (draft.rule) {
    case 'generalize':
      return { rule: 'generalize', to: draft.to }
    case 'bucketize': {
      const parts = draft.bounds.split(/[,，、\s]+/).filter((b) => b !== '')
      const bounds = parts.map(Number)
      if (parts.length === 0 || !parts.every((b) => BOUND.test(b)) || bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!)) return 'bounds'
      return { rule: 'bucketize', bounds }
    }
    case 'partial':
      if ((draft.keepStart !== '' && !KEEP.test(draft.keepStart)) || (draft.keepEnd !== '' && !KEEP.test(draft.keepEnd))) return 'keep'
      return { rule: 'partial', ...(draft.keepStart === '' ? {} : { keepStart: Number(draft.keepStart) }), ...(draft.keepEnd === '' ? {} : { keepEnd: Number(draft.keepEnd) }) }
    default:
      return { rule: draft.rule } as MaskRule
  }
}

const inAYear = () => cityDay(Date.now() + 365 * 86_400_000)
/** An approval must end after today (Beijing's, as the server counts a scenario's days). */
const tomorrow = () => cityDay(Date.now() + 86_400_000)

function FieldDecisionRow({ field, definition, isKey, draft, onChange }: { field: ScenarioField; definition: CatalogField | undefined; isKey: boolean; draft: Draft; onChange: (d: Draft) => void }) {
  const t = useT()
  const name = useName()
  const id = `${field.table}.${field.field}`
  const label = definition?.label ?? field.field
  const rules = [...new Set([...(isKey ? (['keep'] as const) : []), ...(definition?.masks ?? [])])]
  const invalid = draft.decision === 'approve' && typeof maskOf(draft, isKey) === 'string'
  return (
    <tr data-testid={`field-${id}`} class={`decision-${draft.decision}`}>
      <FieldCells field={field} definition={definition} isKey={isKey} />
      <td>{definition === undefined ? '—' : describeMask(isKey ? { rule: 'keep' } : definition.mask, name)}</td>
      <td>
        <fieldset class="decision">
          <legend class="visually-hidden">
            {t('decision')} {label}
          </legend>
          {(['approve', 'deny'] as const).map((d) => (
            <label key={d} class="radio">
              <input type="radio" name={`decision-${id}`} value={d} checked={draft.decision === d} onChange={() => onChange({ ...draft, decision: d })} aria-label={`${t(d)} ${id}`} />
              {t(d)}
            </label>
          ))}
        </fieldset>
      </td>
      <td>
        {draft.decision === 'approve' ? (
          isKey ? (
            <span>{name(MASK_RULE_NAMES, 'keep')}</span>
          ) : (
            <div class="stack">
              <select aria-label={`${t('mask')} ${id}`} value={draft.rule} onChange={(e) => onChange({ ...draft, edited: true, rule: e.currentTarget.value as MaskRule['rule'] })}>
                {rules.map((r) => (
                  <option key={r} value={r}>
                    {name(MASK_RULE_NAMES, r)}
                  </option>
                ))}
              </select>
              {draft.rule === 'generalize' ? (
                <select aria-label={`${t('generalizeTo')} ${id}`} value={draft.to} onChange={(e) => onChange({ ...draft, edited: true, to: e.currentTarget.value })}>
                  {(definition?.generalizeTargets ?? []).map((g) => (
                    <option key={g} value={g}>
                      {name(GENERALIZE_TARGET_NAMES, g)}
                    </option>
                  ))}
                </select>
              ) : null}
              {draft.rule === 'bucketize' ? (
                <input aria-label={`${t('bounds')} ${id}`} aria-invalid={invalid ? 'true' : undefined} placeholder={t('bounds')} value={draft.bounds} onInput={(e) => onChange({ ...draft, edited: true, bounds: e.currentTarget.value })} />
              ) : null}
              {draft.rule === 'partial' ? (
                <div class="row">
                  <input inputMode="numeric" aria-label={`${t('keepStart')} ${id}`} aria-invalid={invalid ? 'true' : undefined} placeholder={t('keepStart')} value={draft.keepStart} onInput={(e) => onChange({ ...draft, edited: true, keepStart: e.currentTarget.value })} />
                  <input inputMode="numeric" aria-label={`${t('keepEnd')} ${id}`} aria-invalid={invalid ? 'true' : undefined} placeholder={t('keepEnd')} value={draft.keepEnd} onInput={(e) => onChange({ ...draft, edited: true, keepEnd: e.currentTarget.value })} />
                </div>
              ) : null}
            </div>
          )
        ) : draft.decision === 'deny' ? (
          <input aria-label={`${t('denyReason')} ${id}`} aria-invalid={draft.reason.trim() === '' ? 'true' : undefined} placeholder={t('denyReason')} value={draft.reason} onInput={(e) => onChange({ ...draft, reason: e.currentTarget.value })} />
        ) : null}
      </td>
    </tr>
  )
}

function DecisionForm({ session, scenario, catalog, onDecided }: { session: Session; scenario: Scenario; catalog: CatalogMetadata; onDecided: () => void }) {
  const t = useT()
  const tables = [...new Set(scenario.fields.map((f) => f.table))]
  const [keys, setKeys] = useState<Record<string, string>>(() => Object.fromEntries(tables.map((table) => [table, scenario.keys[table] ?? ''])))
  const [drafts, setDraftsNow] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(scenario.fields.map((f) => [`${f.table}.${f.field}`, draftOf(f, definitionOf(catalog, f.table, f.field), scenario.keys[f.table] === f.field)])),
  )
  const [filters, setFilters] = useState<Record<string, { field: string; values: string }>>(() =>
    Object.fromEntries(tables.map((table) => [table, { field: scenario.rowFilters[table]?.field ?? '', values: scenario.rowFilters[table]?.values.join(', ') ?? '' }])),
  )
  const [expiresOn, setExpiresOn] = useState(scenario.expiresOn ?? inAYear())
  const [error, setError] = useState<unknown>(undefined)
  // a change to a field's decision clears what the last submission found wrong
  const setDrafts = (next: Record<string, Draft>) => {
    setDraftsNow(next)
    setError(undefined)
  }
  const undecided = Object.values(drafts).filter((d) => d.decision === 'pending').length
  const labelOf = (id: string) => {
    const [table, field] = id.split('.') as [string, string]
    return definitionOf(catalog, table, field)?.label ?? id
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    const problems: { field: string; problem: string }[] = []
    const approve: Record<string, MaskRule> = {}
    const deny: Record<string, string> = {}
    for (const [id, d] of Object.entries(drafts)) {
      const table = id.split('.')[0]!
      const mask = maskOf(d, keys[table] === id.slice(table.length + 1))
      if (d.decision === 'approve' && mask === 'bounds') problems.push({ field: labelOf(id), problem: t('boundsInvalid') })
      else if (d.decision === 'approve' && mask === 'keep') problems.push({ field: labelOf(id), problem: t('keepInvalid') })
      else if (d.decision === 'approve') approve[id] = mask as MaskRule
      if (d.decision === 'deny' && d.reason.trim() === '') problems.push({ field: labelOf(id), problem: t('denyReasonRequired') })
      if (d.decision === 'deny') deny[id] = d.reason.trim()
      if (d.decision === 'pending') problems.push({ field: labelOf(id), problem: t('undecided') })
    }
    const rowFilters: Record<string, { field: string; values: string[] }> = {}
    for (const [table, f] of Object.entries(filters)) {
      const values = f.values.split(/[,，、]/).map((v) => v.trim()).filter((v) => v !== '')
      if (f.field !== '' && values.length === 0) problems.push({ field: `${catalog.tables.find((x) => x.id === table)?.title ?? table} · ${t('rowFilterValues')}`, problem: t('isRequired') })
      if (f.field !== '' && values.length > 0) rowFilters[table] = { field: f.field, values }
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn)) problems.push({ field: t('expiresOn'), problem: t('notADate') })
    else if (expiresOn < tomorrow()) problems.push({ field: t('expiresOn'), problem: t('mustBeAfterToday') })
    if (problems.length > 0) {
      setError(new FormProblems(problems))
      return
    }
    const chosenKeys = Object.fromEntries(Object.entries(keys).filter(([, field]) => field !== ''))
    try {
      await api(`/v1/operator/scenarios/${encodeURIComponent(scenario.id)}/decision`, {
        method: 'POST',
        body: { approve, deny, rowFilters, ...(Object.keys(chosenKeys).length === 0 ? {} : { keys: chosenKeys }), expiresOn, revision: scenario.revision },
        credential: session.credential,
      })
      setError(undefined)
      onDecided()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <form onSubmit={submit} aria-label={t('submitDecision')} noValidate>
      {tables.map((table) => {
        const definition = catalog.tables.find((x) => x.id === table)
        const textFields = (definition?.fields ?? []).filter((f) => f.type === 'text')
        return (
          <section key={table} class="card" aria-labelledby={`table-${table}`}>
            <h2 id={`table-${table}`}>
              {definition?.title ?? table} <code class="small">{table}</code>
            </h2>
            <p class="muted small">
              {t('dataSource')}：{definition?.source}
            </p>
            <div class="row">
              <label>
                {t('keyField')}
                <select data-testid={`key-${table}`} value={keys[table]} onChange={(e) => setKeys({ ...keys, [table]: e.currentTarget.value })}>
                  {scenario.keys[table] === undefined ? <option value="">{t('noKey')}</option> : null}
                  {textFields.map((f) => (
                    <option key={f.name} value={f.name}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </label>
              <p class="muted small">{t('keyFieldHelp')}</p>
            </div>
            <table>
              <FieldTableHead more={['defaultMask', 'decision', 'mask']} />
              <tbody>
                {scenario.fields
                  .filter((f) => f.table === table)
                  .map((f) => {
                    const id = `${f.table}.${f.field}`
                    return <FieldDecisionRow key={id} field={f} definition={definitionOf(catalog, f.table, f.field)} isKey={keys[table] === f.field} draft={drafts[id]!} onChange={(d) => setDrafts({ ...drafts, [id]: d })} />
                  })}
              </tbody>
            </table>
            <div class="row">
              <label>
                {t('rowFilterField')}
                <select value={filters[table]!.field} onChange={(e) => setFilters({ ...filters, [table]: { ...filters[table]!, field: e.currentTarget.value } })}>
                  <option value="">{t('none')}</option>
                  {(definition?.fields ?? []).map((f) => (
                    <option key={f.name} value={f.name}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </label>
              {filters[table]!.field === '' ? null : (
                <label>
                  {t('rowFilterValues')}
                  <input value={filters[table]!.values} onInput={(e) => setFilters({ ...filters, [table]: { ...filters[table]!, values: e.currentTarget.value } })} />
                </label>
              )}
            </div>
          </section>
        )
      })}
      <div class="row">
        <label>
          {t('expiresOn')}
          <input type="date" min={tomorrow()} value={expiresOn} onInput={(e) => setExpiresOn(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={undecided > 0}>
          {t('submitDecision')}
        </button>
        {undecided > 0 ? (
          <span class="muted" role="status">
            {t('undecidedCount').replace('{n}', String(undecided))}
          </span>
        ) : null}
      </div>
      <ErrorNote error={error} />
    </form>
  )
}

export function ScenarioPage({ session, id }: { session: Session; id: string }) {
  const t = useT()
  const scenario = useLoad(() => api<Scenario>(`/v1/operator/scenarios/${encodeURIComponent(id)}`, { credential: session.credential }), [id, session.credential])
  const catalog = useLoad(loadCatalog, [])
  // the page is made anew for each scenario (keyed by id in main.tsx): no state to reset here
  const [saved, setSaved] = useState(false)
  const { done, change } = useStandingChange(session, '/v1/operator/scenarios', scenario.reload, SCENARIO_STATUS_NAMES)
  const s = scenario.data
  return (
    <section>
      <p>
        <a href="#/scenarios">← {t('back')}</a>
      </p>
      <h1 tabIndex={-1}>
        {t('nav_scenarios')} · <code>{id}</code>
      </h1>
      <ErrorNote error={scenario.error ?? catalog.error} />
      {scenario.loading || catalog.loading ? <Loading /> : null}
      {s === undefined || catalog.data === undefined ? null : (
        <>
          <ScenarioFacts scenario={s} withPartner />
          {s.status === 'pending' || s.status === 'approved' ? (
            <DecisionForm
              key={`${s.id}/${s.revision}`}
              session={session}
              scenario={s}
              catalog={catalog.data}
              onDecided={() => {
                // the form is made again from the stored decision (a new revision); the outcome is said here
                setSaved(true)
                scenario.reload()
              }}
            />
          ) : (
            <ScenarioDecisions scenario={s} catalog={catalog.data} />
          )}
          <div class="row actions">
            {s.status === 'pending' ? <ReasonAction label={t('denyScenario')} danger onConfirm={change(s.id, 'deny')} /> : null}
            {s.status === 'approved' ? <ReasonAction label={t('revokeScenario')} danger onConfirm={change(s.id, 'revoke')} /> : null}
          </div>
          {saved ? <Done>{t('decisionSaved')}</Done> : null}
          {done === undefined ? null : <Done focus>{done}</Done>}
          <h2>{t('history')}</h2>
          <ScenarioHistory history={s.history} />
        </>
      )}
    </section>
  )
}
