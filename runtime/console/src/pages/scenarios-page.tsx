/**
 * 场景审核 (一场景一审核): the scenario requests, and one request decided field by field. Each
 * field shows its classification level and identifier kind from the catalog, the partner's
 * justification and the catalog's default mask; the operator approves it with a mask or denies it
 * with a reason, sets row filters and the expiry, and the decision is recorded with their name.
 */
import { useState } from 'preact/hooks'
import { api, query } from '../api.ts'
import { describeMask, loadCatalog, type CatalogField, type CatalogMetadata, type MaskRule } from '../catalog.ts'
import { useT } from '../i18n.ts'
import { Done, Empty, ErrorNote, Loading, StatusBadge, when } from '../parts/feedback.tsx'
import { ReasonAction } from '../parts/reason-action.tsx'
import { useLoad } from '../parts/use-load.ts'
import { useStandingChange } from '../parts/use-standing-change.ts'
import type { Session } from '../session.ts'

type ScenarioField = { table: string; field: string; justification: string; decision: 'pending' | 'approved' | 'denied'; mask?: MaskRule; reason?: string }
type Scenario = {
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
  history: { at: string; actor: string; action: string; detail: string }[]
}

const STATUSES = ['pending', 'approved', 'denied', 'revoked'] as const

export function ScenariosPage({ session }: { session: Session }) {
  const t = useT()
  const [status, setStatus] = useState<string>('pending')
  const list = useLoad(() => api<{ scenarios: Scenario[] }>(`/v1/operator/scenarios${query({ status })}`, { credential: session.credential }), [status, session.credential])
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_scenarios')}</h1>
      <StatusFilter value={status} options={STATUSES} onChange={setStatus} />
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
                  <a href={`#/scenarios/${encodeURIComponent(s.id)}`}>{s.id}</a>
                </th>
                <td>{s.partner}</td>
                <td>{s.product ?? '—'}</td>
                <td>{s.category}</td>
                <td class="clip">{s.purpose}</td>
                <td class="num">{s.fields.length}</td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function StatusFilter({ value, options, onChange }: { value: string; options: readonly string[]; onChange: (v: string) => void }) {
  const t = useT()
  return (
    <label class="filter">
      {t('status')}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('all')}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {t(`status_${o}`)}
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

/** The mask a draft stands for, or undefined when its bounds are not increasing numbers. */
function maskOf(draft: Draft): MaskRule | undefined {
  if (!draft.edited) return draft.mask
  switch (draft.rule) {
    case 'generalize':
      return { rule: 'generalize', to: draft.to }
    case 'bucketize': {
      const parts = draft.bounds.split(/[,，\s]+/).filter((b) => b !== '')
      const bounds = parts.map(Number)
      if (parts.length === 0 || !parts.every((b) => BOUND.test(b)) || bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!)) return undefined
      return { rule: 'bucketize', bounds }
    }
    case 'partial':
      return { rule: 'partial', ...(draft.keepStart === '' ? {} : { keepStart: Number(draft.keepStart) }), ...(draft.keepEnd === '' ? {} : { keepEnd: Number(draft.keepEnd) }) }
    default:
      return { rule: draft.rule } as MaskRule
  }
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10)
/** An approval must end after today (UTC, as the server counts days). */
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)

function FieldDecisionRow({ field, definition, isKey, draft, onChange }: { field: ScenarioField; definition: CatalogField | undefined; isKey: boolean; draft: Draft; onChange: (d: Draft) => void }) {
  const t = useT()
  const name = `${field.table}.${field.field}`
  const rules = [...new Set([...(isKey ? (['keep'] as const) : []), ...(definition?.masks ?? [])])]
  return (
    <tr data-testid={`field-${name}`} class={`decision-${draft.decision}`}>
      <th scope="row">
        <code>{field.field}</code>
        <div class="small">{definition?.label ?? ''}</div>
        {isKey ? <span class="badge">{t('keyField')}</span> : null}
      </th>
      <td>
        <span class={`badge level-${definition?.level ?? 'L1'}`} title={definition?.levelLabel}>
          {definition?.level ?? '?'}
        </span>
        {definition?.personal ? <span class="badge">{t('personal')}</span> : null}
      </td>
      <td>{definition?.identifier ?? '?'}</td>
      <td class="clip">{field.justification}</td>
      <td>{definition === undefined ? '—' : describeMask(isKey ? { rule: 'keep' } : definition.mask, t)}</td>
      <td>
        <fieldset class="decision">
          <legend class="visually-hidden">
            {t('decision')} {name}
          </legend>
          {(['approve', 'deny'] as const).map((d) => (
            <label key={d} class="radio">
              <input type="radio" name={`decision-${name}`} value={d} checked={draft.decision === d} onChange={() => onChange({ ...draft, decision: d })} aria-label={`${t(d)} ${name}`} />
              {t(d)}
            </label>
          ))}
        </fieldset>
      </td>
      <td>
        {draft.decision === 'approve' ? (
          <div class="stack">
            <select aria-label={`${t('mask')} ${name}`} value={draft.rule} onChange={(e) => onChange({ ...draft, edited: true, rule: e.currentTarget.value as MaskRule['rule'] })}>
              {rules.map((r) => (
                <option key={r} value={r}>
                  {t(`mask_${r}`)}
                </option>
              ))}
            </select>
            {draft.rule === 'generalize' ? (
              <select aria-label={`${t('generalizeTo')} ${name}`} value={draft.to} onChange={(e) => onChange({ ...draft, edited: true, to: e.currentTarget.value })}>
                {(definition?.generalizeTargets ?? []).map((g) => (
                  <option key={g} value={g}>
                    {t(`target_${g}`)}
                  </option>
                ))}
              </select>
            ) : null}
            {draft.rule === 'bucketize' ? (
              <input
                aria-label={`${t('bounds')} ${name}`}
                aria-invalid={draft.edited && maskOf(draft) === undefined ? 'true' : undefined}
                placeholder={t('bounds')}
                value={draft.bounds}
                onInput={(e) => onChange({ ...draft, edited: true, bounds: e.currentTarget.value })}
              />
            ) : null}
            {draft.rule === 'partial' ? (
              <div class="row">
                <input type="number" min={0} max={32} aria-label={`${t('keepStart')} ${name}`} placeholder={t('keepStart')} value={draft.keepStart} onInput={(e) => onChange({ ...draft, edited: true, keepStart: e.currentTarget.value })} />
                <input type="number" min={0} max={32} aria-label={`${t('keepEnd')} ${name}`} placeholder={t('keepEnd')} value={draft.keepEnd} onInput={(e) => onChange({ ...draft, edited: true, keepEnd: e.currentTarget.value })} />
              </div>
            ) : null}
          </div>
        ) : draft.decision === 'deny' ? (
          <input aria-label={`${t('denyReason')} ${name}`} placeholder={t('denyReason')} required value={draft.reason} onInput={(e) => onChange({ ...draft, reason: e.currentTarget.value })} />
        ) : null}
      </td>
    </tr>
  )
}

function DecisionForm({ session, scenario, catalog, onDecided }: { session: Session; scenario: Scenario; catalog: CatalogMetadata; onDecided: () => void }) {
  const t = useT()
  const definitionOf = (f: ScenarioField) => catalog.tables.find((x) => x.id === f.table)?.fields.find((x) => x.name === f.field)
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(scenario.fields.map((f) => [`${f.table}.${f.field}`, draftOf(f, definitionOf(f), scenario.keys[f.table] === f.field)])),
  )
  const tables = [...new Set(scenario.fields.map((f) => f.table))]
  const [filters, setFilters] = useState<Record<string, { field: string; values: string }>>(() =>
    Object.fromEntries(tables.map((table) => [table, { field: scenario.rowFilters[table]?.field ?? '', values: scenario.rowFilters[table]?.values.join(', ') ?? '' }])),
  )
  const [expiresOn, setExpiresOn] = useState(scenario.expiresOn ?? inAYear())
  const [error, setError] = useState<unknown>(undefined)
  const undecided = Object.values(drafts).filter((d) => d.decision === 'pending').length
  const submit = async (event: Event) => {
    event.preventDefault()
    const approve: Record<string, MaskRule> = {}
    const deny: Record<string, string> = {}
    for (const [name, d] of Object.entries(drafts)) {
      const mask = maskOf(d)
      if (d.decision === 'approve' && mask === undefined) {
        setError(new Error(`${name}: ${t('boundsInvalid')}`))
        return
      }
      if (d.decision === 'approve') approve[name] = mask!
      if (d.decision === 'deny') deny[name] = d.reason.trim()
    }
    const rowFilters: Record<string, { field: string; values: string[] }> = {}
    for (const [table, f] of Object.entries(filters)) {
      const values = f.values.split(/[,，]/).map((v) => v.trim()).filter((v) => v !== '')
      if (f.field !== '' && values.length > 0) rowFilters[table] = { field: f.field, values }
    }
    try {
      await api(`/v1/operator/scenarios/${encodeURIComponent(scenario.id)}/decision`, { method: 'POST', body: { approve, deny, rowFilters, expiresOn, revision: scenario.revision }, credential: session.credential })
      setError(undefined)
      onDecided()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <form onSubmit={submit} aria-label={t('submitDecision')}>
      {tables.map((table) => {
        const definition = catalog.tables.find((x) => x.id === table)
        return (
          <section key={table} class="card" aria-labelledby={`table-${table}`}>
            <h2 id={`table-${table}`}>
              {definition?.title ?? table} <code class="small">{table}</code>
            </h2>
            <p class="muted small">{definition?.source}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('field')}</th>
                  <th scope="col">{t('level')}</th>
                  <th scope="col">{t('identifier')}</th>
                  <th scope="col">{t('justification')}</th>
                  <th scope="col">{t('defaultMask')}</th>
                  <th scope="col">{t('decision')}</th>
                  <th scope="col">{t('mask')}</th>
                </tr>
              </thead>
              <tbody>
                {scenario.fields
                  .filter((f) => f.table === table)
                  .map((f) => {
                    const name = `${f.table}.${f.field}`
                    return <FieldDecisionRow key={name} field={f} definition={definitionOf(f)} isKey={scenario.keys[table] === f.field} draft={drafts[name]!} onChange={(d) => setDrafts({ ...drafts, [name]: d })} />
                  })}
              </tbody>
            </table>
            <div class="row">
              <label>
                {t('rowFilterField')} ({t('rowFilter')})
                <select value={filters[table]!.field} onChange={(e) => setFilters({ ...filters, [table]: { ...filters[table]!, field: e.currentTarget.value } })}>
                  <option value="">{t('none')}</option>
                  {(definition?.fields ?? []).map((f) => (
                    <option key={f.name} value={f.name}>
                      {f.name} · {f.label}
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
          <input type="date" required min={tomorrow()} value={expiresOn} onInput={(e) => setExpiresOn(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={undecided > 0}>
          {t('submitDecision')}
        </button>
        {undecided > 0 ? (
          <span class="muted" role="status">
            {t('status_pending')}: {undecided}
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
  const { done, change } = useStandingChange(session, '/v1/operator/scenarios', scenario.reload)
  const s = scenario.data
  return (
    <section>
      <p>
        <a href="#/scenarios">← {t('back')}</a>
      </p>
      <h1 tabIndex={-1}>
        {t('nav_scenarios')} · {id}
      </h1>
      <ErrorNote error={scenario.error ?? catalog.error} />
      {scenario.loading || catalog.loading ? <Loading /> : null}
      {s === undefined || catalog.data === undefined ? null : (
        <>
          <dl class="facts">
            <dt>{t('status')}</dt>
            <dd>
              <StatusBadge status={s.status} /> r{s.revision}
            </dd>
            <dt>{t('partner')}</dt>
            <dd>{s.partner}</dd>
            <dt>{t('product')}</dt>
            <dd>{s.product ?? '—'}</dd>
            <dt>{t('category')}</dt>
            <dd>{s.category}</dd>
            <dt>{t('purpose')}</dt>
            <dd>{s.purpose}</dd>
            <dt>{t('expiresOn')}</dt>
            <dd>{s.expiresOn ?? '—'}</dd>
          </dl>
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
            <ul>
              {s.fields.map((f) => (
                <li key={`${f.table}.${f.field}`}>
                  <code>
                    {f.table}.{f.field}
                  </code>{' '}
                  <StatusBadge status={f.decision} /> {f.mask === undefined ? f.reason ?? '' : describeMask(f.mask, t)}
                </li>
              ))}
            </ul>
          )}
          <div class="row actions">
            {s.status === 'pending' ? <ReasonAction label={t('denyScenario')} danger onConfirm={change(s.id, 'deny')} /> : null}
            {s.status === 'approved' ? <ReasonAction label={t('revokeScenario')} danger onConfirm={change(s.id, 'revoke')} /> : null}
          </div>
          {saved ? <Done>{t('decisionSaved')}</Done> : null}
          {done === undefined ? null : <Done focus>{done}</Done>}
          <h2>{t('history')}</h2>
          <ol class="history">
            {s.history.map((h, i) => (
              <li key={i}>
                {when(h.at)} · {h.actor} · {h.action}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}
