/**
 * An audit entry's subject and detail in words: who or what it is about (a product version by its
 * title, a consumer or partner by name, a scenario or release by its id), and each member of the
 * detail under its name, codes said by their names, amounts in 元, durations in hours.
 */
import { Fragment } from 'preact'
import {
  AUDIT_DETAIL_NAMES,
  CATEGORY_NAMES,
  CONSENT_FAILURE_NAMES,
  ERROR_NAMES,
  LOGIN_FAILURE_NAMES,
  REFUSAL_NAMES,
  ROLE_NAMES,
  SCENARIO_STATUS_NAMES,
  STANDING_NAMES,
  VERSION_CHECK_NAMES,
  type Names,
} from '../../../dictionary/index.ts'
import { useDirectory } from '../directory.ts'
import { instantOf, yuanOfFen } from '../format.ts'
import { useName, useT } from '../i18n.ts'
import { When } from './feedback.tsx'
import { ConsumerName, PartnerName, ProductName } from './names.tsx'
import { ValueView } from './value-view.tsx'

export function AuditSubject({ subject }: { subject: string }) {
  const t = useT()
  const name = useName()
  const directory = useDirectory()
  const version = /^([a-z][a-z0-9-]{1,62})@(\d+\.\d+\.\d+)$/.exec(subject)
  if (version !== null)
    return (
      <>
        <ProductName id={version[1]!} withId /> <span class="muted small">{t('version')} {version[2]}</span>
      </>
    )
  const typed = /^(consumer|partner|operator|auditor|ip|pid):(.+)$/.exec(subject)
  if (typed !== null) {
    const [, kind, id] = typed as unknown as [string, string, string]
    if (kind === 'consumer') return <ConsumerName id={id} withId />
    if (kind === 'partner') return <PartnerName id={id} withId />
    if (kind === 'ip' || kind === 'pid') return <>{t(kind === 'ip' ? 'networkAddress' : 'process')} <code>{id}</code></>
    return <>{name(ROLE_NAMES, kind)} <code>{id}</code></>
  }
  if (directory.products.has(subject)) return <ProductName id={subject} withId />
  if (directory.partners.has(subject)) return <PartnerName id={subject} withId />
  if (directory.consumers.has(subject)) return <ConsumerName id={subject} withId />
  return <code>{subject}</code>
}

/** A reason in a detail: an operator's words, or a code some part of the runtime gave. */
function reasonNames(): readonly Readonly<Record<string, Names>>[] {
  return [LOGIN_FAILURE_NAMES, CONSENT_FAILURE_NAMES, REFUSAL_NAMES]
}

function DetailValue({ member, value }: { member: string; value: unknown }) {
  const t = useT()
  const name = useName()
  const codeIn = (dictionaries: readonly Readonly<Record<string, Names>>[], code: string) => {
    const found = dictionaries.find((d) => Object.hasOwn(d, code))
    return found === undefined ? undefined : name(found, code)
  }
  if (typeof value === 'boolean') return <>{t(value ? 'yes' : 'no')}</>
  if (typeof value === 'number' && (member === 'priceFen' || member === 'capFen')) return <>{yuanOfFen(value)} {t('yuanUnit')}</>
  if (typeof value === 'number' && member === 'ttlSeconds') return <>{t('hoursOf').replace('{n}', String(Math.round((value / 3600) * 10) / 10))}</>
  if (typeof value === 'string') {
    // an instant in Beijing time; a digest shortened (its whole in the title)
    if (member.endsWith('At') && instantOf(value) !== undefined) return <When at={value} />
    if (member.endsWith('Hash') && value.length > 16) return <code title={value}>{value.slice(0, 12)}…</code>
    switch (member) {
      case 'product':
        return <ProductName id={value} withId />
      case 'consumer':
        return <ConsumerName id={value} withId />
      case 'partner':
        return <PartnerName id={value} withId />
      case 'code':
        return <>{name(ERROR_NAMES, value)}</>
      case 'role':
        return <>{name(ROLE_NAMES, value)}</>
      case 'wanted':
        return <>{value.split('|').map((r) => name(ROLE_NAMES, r)).join('、')}</>
      case 'category':
        return <>{name(CATEGORY_NAMES, value)}</>
      case 'previous':
        return <>{name(SCENARIO_STATUS_NAMES, value)}</>
      case 'status':
        return <>{Object.hasOwn(STANDING_NAMES, value) ? name(STANDING_NAMES, value) : <code>{value}</code>}</>
      case 'reason':
        return <>{value === 'FAILURES' ? t('repeatedFailures') : codeIn(reasonNames(), value) ?? value}</>
      case 'after':
        return <>{value === 'review' ? t('afterReview') : value}</>
      case 'devData':
        return <>{value === 'deleted' ? t('deleted') : value}</>
      case 'kind':
        return <>{value === 'platform' ? t('platformToken') : value === 'apiKey' ? t('apiKey') : value}</>
      default:
        return <code>{value}</code>
    }
  }
  if (Array.isArray(value) && member === 'reasons') return <>{value.map((r) => name(REFUSAL_NAMES, String(r))).join('、')}</>
  if (Array.isArray(value) && member === 'overriddenChecks') return <>{value.map((c) => name(VERSION_CHECK_NAMES, String(c))).join('、')}</>
  if (typeof value === 'object' && value !== null && member === 'keys') {
    const entries = Object.entries(value as Record<string, unknown>)
    return <>{entries.length === 0 ? t('none') : entries.map(([table, field]) => <code key={table}>{`${table}.${String(field)} `}</code>)}</>
  }
  return <ValueView value={value} />
}

export type ReleaseRules = { outputFields?: unknown; rowLevel?: { consumers?: unknown; identifiers?: unknown } | null; privacy?: { epsilon?: unknown; budget?: unknown; periodDays?: unknown } | null }

/** A scenario's release rules (what may leave beyond the defaults) in words. */
export function ReleaseRulesView({ rules }: { rules: ReleaseRules }) {
  const t = useT()
  const fields = Array.isArray(rules.outputFields) ? rules.outputFields.map(String) : []
  const consumers = Array.isArray(rules.rowLevel?.consumers) ? rules.rowLevel.consumers.map(String) : []
  return (
    <ul class="plain">
      <li>
        {t('outputFields')}：{fields.length === 0 ? t('none') : fields.map((f) => <code key={f}>{`${f} `}</code>)}
      </li>
      <li>
        {t('rowLevel')}：
        {rules.rowLevel == null ? (
          t('no')
        ) : (
          <>
            {consumers.map((c, i) => (
              <Fragment key={c}>
                {i === 0 ? '' : '、'}
                <ConsumerName id={c} />
              </Fragment>
            ))}
            {rules.rowLevel.identifiers === true ? `（${t('withIdentifiers')}）` : `（${t('withPseudonyms')}）`}
          </>
        )}
      </li>
      <li>
        {t('differentialPrivacy')}：{rules.privacy == null ? t('no') : `ε ${String(rules.privacy.epsilon)} · ${t('budget')} ${String(rules.privacy.budget)} · ${t('perDays').replace('{n}', String(rules.privacy.periodDays))}`}
      </li>
    </ul>
  )
}

export function AuditDetail({ detail }: { detail: Record<string, unknown> | undefined }) {
  const t = useT()
  const name = useName()
  const entries = Object.entries(detail ?? {})
  if (entries.length === 0) return <>—</>
  return (
    <dl class="facts compact">
      {entries.map(([member, value]) => (
        <Fragment key={member}>
          {member === 'release' && typeof value === 'object' && value !== null ? (
            <>
              <dt>{t('releaseRules')}</dt>
              <dd>
                <ReleaseRulesView rules={value as ReleaseRules} />
              </dd>
            </>
          ) : (
            <>
              <dt>{Object.hasOwn(AUDIT_DETAIL_NAMES, member) ? name(AUDIT_DETAIL_NAMES, member) : <code>{member}</code>}</dt>
              <dd>
                <DetailValue member={member} value={value} />
              </dd>
            </>
          )}
        </Fragment>
      ))}
    </dl>
  )
}
