/**
 * 审计日志: the tamper-evident trail for auditors (and operators). Entries are searched by
 * partner, product or consumer, action and time; the chain verification names the first bad
 * entry, which is then flagged wherever it is shown.
 */
import { useState } from 'preact/hooks'
import { api, query } from '../api.ts'
import { useT } from '../i18n.ts'
import { Empty, ErrorNote, Loading, when } from '../parts/feedback.tsx'
import type { Session } from '../session.ts'

type Entry = { seq: number; at: string; actor: string; action: string; subject: string; detail?: Record<string, unknown>; hash: string }
type Verdict = { ok: true; entries: number; checkpoints: number; head: string } | { ok: false; problem: string; line: number; seq: number | null; entries: number }
type Filter = { involving: string; action: string; since: string; until: string; newest: boolean }

const PAGE = 50
/** A datetime-local value (the browser's zone) as an ISO instant. */
const instant = (local: string) => (local === '' ? undefined : new Date(local).toISOString())

export function AuditPage({ session }: { session: Session }) {
  const t = useT()
  const [filter, setFilter] = useState<Filter>({ involving: '', action: '', since: '', until: '', newest: true })
  const [entries, setEntries] = useState<Entry[] | undefined>(undefined)
  // the query the entries shown came from: "more" continues it, whatever the form says now
  const [applied, setApplied] = useState<Filter | undefined>(undefined)
  const [more, setMore] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined)

  const load = async (f: Filter, from?: Entry) => {
    setBusy(true)
    try {
      const params = {
        involving: f.involving.trim(),
        action: f.action.trim(),
        since: instant(f.since),
        until: instant(f.until),
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
            ✓ {t('chainOk')} · {verdict.entries} {t('entries')} · {verdict.checkpoints} {t('checkpoints')} · <code class="small">{verdict.head.slice(0, 16)}…</code>
          </p>
        ) : (
          <div class="note error" role="alert" data-testid="chain-verdict">
            <strong>✗ {t('chainBroken')}</strong>
            <p>
              {t('firstBadEntry')}: seq {verdict.seq ?? '?'} · {t('line')} {verdict.line} · {t(`problem_${verdict.problem}`)} (<code>{verdict.problem}</code>)
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
        onSubmit={(e) => {
          e.preventDefault()
          void load(filter)
        }}
      >
        <label>
          {t('involving')}
          <input name="involving" value={filter.involving} onInput={(e) => setFilter({ ...filter, involving: e.currentTarget.value })} />
        </label>
        <label>
          {t('action')}
          <input name="action" placeholder="release / scenario.approved" value={filter.action} onInput={(e) => setFilter({ ...filter, action: e.currentTarget.value })} />
        </label>
        <label>
          {t('since')}
          <input type="datetime-local" value={filter.since} onInput={(e) => setFilter({ ...filter, since: e.currentTarget.value })} />
        </label>
        <label>
          {t('until')}
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
              <th scope="col">seq</th>
              <th scope="col">{t('createdAt')}</th>
              <th scope="col">{t('actor')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} class={e.seq === badSeq ? 'tampered' : undefined} data-seq={e.seq}>
                <th scope="row">
                  {e.seq}
                  {e.seq === badSeq ? <span class="badge badge-refused">{t('tampered')}</span> : null}
                </th>
                <td>{when(e.at)}</td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.subject}</td>
                <td class="clip">
                  <code class="small">{e.detail === undefined ? '' : JSON.stringify(e.detail)}</code>
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
