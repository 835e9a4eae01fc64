/**
 * 审计日志: the tamper-evident trail for auditors (and operators). Entries are searched by the
 * party they involve, by area or action (chosen by name) and by Beijing time; each entry's actor,
 * action, subject and detail are shown in words. The chain verification names the first bad entry,
 * which is then flagged wherever it is shown.
 */
import { useState } from 'preact/hooks'
import { AUDIT_ACTION_NAMES, AUDIT_AREA_NAMES, AUDIT_PROBLEM_NAMES } from '../../../dictionary/index.ts'
import { api, query } from '../api.ts'
import { useDirectory } from '../directory.ts'
import { instantFromBeijing } from '../format.ts'
import { useName, useT } from '../i18n.ts'
import { AuditDetail, AuditSubject } from '../parts/audit-detail.tsx'
import { Empty, ErrorNote, FormProblems, Loading, When } from '../parts/feedback.tsx'
import { ActorName } from '../parts/names.tsx'
import type { Session } from '../session.ts'

type Entry = { seq: number; at: string; actor: string; action: string; subject: string; detail?: Record<string, unknown>; hash: string }
type Verdict = { ok: true; entries: number; checkpoints: number; head: string } | { ok: false; problem: string; line: number; seq: number | null; entries: number }
type Filter = { involving: string; action: string; since: string; until: string; newest: boolean }

const PAGE = 50

export function AuditPage({ session }: { session: Session }) {
  const t = useT()
  const name = useName()
  const directory = useDirectory()
  const [filter, setFilter] = useState<Filter>({ involving: '', action: '', since: '', until: '', newest: true })
  const [entries, setEntries] = useState<Entry[] | undefined>(undefined)
  // the query the entries shown came from: "more" continues it, whatever the form says now
  const [applied, setApplied] = useState<Filter | undefined>(undefined)
  const [more, setMore] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined)

  const load = async (f: Filter, from?: Entry) => {
    const since = f.since === '' ? undefined : instantFromBeijing(f.since)
    const until = f.until === '' ? undefined : instantFromBeijing(f.until)
    const problems = [
      ...(f.since !== '' && since === undefined ? [{ field: t('sinceBeijing'), problem: t('notATime') }] : []),
      ...(f.until !== '' && until === undefined ? [{ field: t('untilBeijing'), problem: t('notATime') }] : []),
      ...(since !== undefined && until !== undefined && since > until ? [{ field: t('untilBeijing'), problem: t('untilBeforeSince') }] : []),
    ]
    if (problems.length > 0) {
      setError(new FormProblems(problems))
      return
    }
    setBusy(true)
    try {
      const params = {
        involving: f.involving.trim(),
        action: f.action,
        since,
        until,
        order: f.newest ? 'desc' : 'asc',
        limit: PAGE,
        ...(from === undefined ? {} : f.newest ? { before: from.seq } : { after: from.seq }),
      }
      const page = await api<{ entries: Entry[]; more: boolean }>(`/v1/audit/entries${query(params)}`, { credential: session.credential })
      setEntries(from === undefined ? page.entries : [...(entries ?? []), ...page.entries])
      setApplied(f)
      setMore(page.more)
      setError(undefined)
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const verify = async () => {
    setVerdict(undefined)
    try {
      setVerdict(await api<Verdict>('/v1/audit/verify', { credential: session.credential }))
      setError(undefined)
    } catch (e) {
      setError(e)
    }
  }
  const badSeq = verdict !== undefined && !verdict.ok ? verdict.seq : null
  const showBad = () => {
    if (badSeq === null) return
    const around: Filter = { involving: '', action: '', since: '', until: '', newest: false }
    setFilter(around)
    setApplied(around)
    // the bad entry with the few before it and what follows
    void (async () => {
      setBusy(true)
      try {
        const page = await api<{ entries: Entry[]; more: boolean }>(`/v1/audit/entries${query({ after: Math.max(0, badSeq - 4), limit: PAGE })}`, { credential: session.credential })
        setEntries(page.entries)
        setMore(page.more)
      } catch (e) {
        setError(e)
      } finally {
        setBusy(false)
      }
    })()
  }

  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_audit')}</h1>
      <div class="card" aria-live="polite">
        <button type="button" class="primary" onClick={() => void verify()}>
          {t('verifyChain')}
        </button>
        {verdict === undefined ? null : verdict.ok ? (
          <p class="note ok" data-testid="chain-verdict">
            ✓ {t('chainOk')} · {t('entriesCount').replace('{n}', String(verdict.entries))} · {t('checkpointsCount').replace('{n}', String(verdict.checkpoints))} · <code class="small">{verdict.head.slice(0, 16)}…</code>
          </p>
        ) : (
          <div class="note error" role="alert" data-testid="chain-verdict" data-problem={verdict.problem}>
            <strong>✗ {t('chainBroken')}</strong>
            <p>
              {t('firstBadEntry')}：{verdict.seq === null ? t('unknownEntry') : t('entryNumber').replace('{n}', String(verdict.seq))} · {t('lineNumber').replace('{n}', String(verdict.line))} · {name(AUDIT_PROBLEM_NAMES, verdict.problem)}
            </p>
            {verdict.seq === null ? null : (
              <button type="button" class="secondary" onClick={showBad}>
                {t('showEntry')}
              </button>
            )}
          </div>
        )}
      </div>
      <form
        class="card filters"
        aria-label={t('auditSearch')}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void load(filter)
        }}
      >
        <label>
          {t('involving')}
          <input name="involving" list="audit-parties" value={filter.involving} onInput={(e) => setFilter({ ...filter, involving: e.currentTarget.value })} />
        </label>
        {/* parties by name: the trail is searched by their ids */}
        <datalist id="audit-parties">
          {[...directory.products, ...directory.partners, ...directory.consumers].map(([id, title]) => (
            <option key={id} value={id}>
              {title}
            </option>
          ))}
        </datalist>
        <label>
          {t('action')}
          <select name="action" value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.currentTarget.value })}>
            <option value="">{t('all')}</option>
            <optgroup label={t('byArea')}>
              {Object.keys(AUDIT_AREA_NAMES).map((area) => (
                <option key={area} value={area}>
                  {name(AUDIT_AREA_NAMES, area)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('byAction')}>
              {Object.keys(AUDIT_ACTION_NAMES).map((action) => (
                <option key={action} value={action}>
                  {name(AUDIT_ACTION_NAMES, action)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label>
          {t('sinceBeijing')}
          <input type="datetime-local" value={filter.since} onInput={(e) => setFilter({ ...filter, since: e.currentTarget.value })} />
        </label>
        <label>
          {t('untilBeijing')}
          <input type="datetime-local" value={filter.until} onInput={(e) => setFilter({ ...filter, until: e.currentTarget.value })} />
        </label>
        <label class="radio">
          <input type="checkbox" checked={filter.newest} onChange={(e) => setFilter({ ...filter, newest: e.currentTarget.checked })} />
          {t('newestFirst')}
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t('search')}
        </button>
      </form>
      <ErrorNote error={error} />
      {busy && entries === undefined ? <Loading /> : null}
      {entries === undefined ? null : entries.length === 0 ? (
        <Empty />
      ) : (
        <table data-testid="audit-entries">
          <thead>
            <tr>
              <th scope="col">{t('entrySeq')}</th>
              <th scope="col">{t('timeBeijing')}</th>
              <th scope="col">{t('actor')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} class={e.seq === badSeq ? 'tampered' : undefined} data-seq={e.seq} data-action={e.action}>
                <th scope="row">
                  {e.seq}
                  {e.seq === badSeq ? <span class="badge badge-refused">{t('tampered')}</span> : null}
                </th>
                <td>
                  <When at={e.at} />
                </td>
                <td>
                  <ActorName id={e.actor} />
                </td>
                <td>{name(AUDIT_ACTION_NAMES, e.action)}</td>
                <td>
                  <AuditSubject subject={e.subject} />
                </td>
                <td class="clip">
                  <AuditDetail detail={e.detail} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && applied !== undefined ? (
        <button type="button" class="secondary" disabled={busy} onClick={() => void load(applied, entries?.[entries.length - 1])}>
          {t('more')}
        </button>
      ) : null}
    </section>
  )
}
