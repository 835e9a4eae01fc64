/**
 * The operator console (运营控制台): one page served by the indomain server at `/console/`.
 * Everyone sees the product list and the usage disclosure; operators, auditors, partners and
 * consumers sign in with their own credential and see their own screens.
 */
import { render } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { CREDENTIAL_REFUSED } from './api.ts'
import { ROLE_NAMES } from '../../dictionary/index.ts'
import { DirectoryContext, useLoadedDirectory } from './directory.ts'
import { ConsumerName, PartnerName } from './parts/names.tsx'
import { LanguageContext, saveLanguage, savedLanguage, useName, useT, type Language, type LabelKey } from './i18n.ts'
import { matchRoute, navigate, useHashPath } from './router.ts'
import { saveSession, savedSession, type Role, type Session } from './session.ts'
import { AccountsPage } from './pages/accounts-page.tsx'
import { AuditPage } from './pages/audit-page.tsx'
import { DisclosurePage } from './pages/disclosure-page.tsx'
import { PartnersPage } from './pages/partners-page.tsx'
import { ProductsPage } from './pages/products-page.tsx'
import { MyProductsPage } from './pages/my-products-page.tsx'
import { MyScenariosPage } from './pages/my-scenarios-page.tsx'
import { ReleasePage, ReleasesPage } from './pages/releases-page.tsx'
import { RunsPage } from './pages/runs-page.tsx'
import { ScenarioPage, ScenariosPage } from './pages/scenarios-page.tsx'
import { SignInPage } from './pages/sign-in-page.tsx'
import { StatementsPage } from './pages/statements-page.tsx'
import { UsagePage } from './pages/usage-page.tsx'
import { VerifyPage } from './pages/verify-page.tsx'
import { VersionPage, VersionsPage } from './pages/versions-page.tsx'
import './styles.css'

type Screen = { readonly path: string; readonly label: LabelKey; readonly roles: readonly Role[] | 'everyone' }

const NAVIGATION: readonly Screen[] = [
  { path: '/products', label: 'nav_products', roles: 'everyone' },
  { path: '/disclosure', label: 'nav_disclosure', roles: 'everyone' },
  { path: '/scenarios', label: 'nav_scenarios', roles: ['operator'] },
  { path: '/versions', label: 'nav_versions', roles: ['operator'] },
  { path: '/releases', label: 'nav_releases', roles: ['operator'] },
  { path: '/partners', label: 'nav_partners', roles: ['operator'] },
  { path: '/accounts', label: 'nav_accounts', roles: ['operator'] },
  { path: '/statements', label: 'nav_statements', roles: ['operator'] },
  { path: '/audit', label: 'nav_audit', roles: ['operator', 'auditor'] },
  { path: '/my/scenarios', label: 'nav_myScenarios', roles: ['partner'] },
  { path: '/my/products', label: 'nav_myProducts', roles: ['partner'] },
  { path: '/usage', label: 'nav_earnings', roles: ['partner'] },
  { path: '/runs', label: 'nav_runs', roles: ['consumer'] },
  { path: '/usage', label: 'nav_usage', roles: ['consumer'] },
  { path: '/verify', label: 'nav_verify', roles: ['consumer'] },
]

/** Where a role lands after signing in. */
const HOME: Readonly<Record<Role, string>> = { operator: '/scenarios', auditor: '/audit', partner: '/my/scenarios', consumer: '/runs' }

function Page({ path, session, onSignIn }: { path: string; session: Session | undefined; onSignIn: (s: Session) => void }) {
  const needs = (roles: readonly Role[]) => session !== undefined && roles.includes(session.role)
  let params: Record<string, string> | undefined
  if (path === '/products') return <ProductsPage session={session} />
  if (path === '/disclosure') return <DisclosurePage />
  if (path === '/verify') return <VerifyPage session={session} />
  if (path === '/sign-in' || session === undefined) return <SignInPage onSignIn={onSignIn} />
  if (path === '/scenarios' && needs(['operator'])) return <ScenariosPage session={session} />
  if ((params = matchRoute('/scenarios/:id', path)) && needs(['operator'])) return <ScenarioPage key={params.id} session={session} id={params.id!} />
  if (path === '/versions' && needs(['operator'])) return <VersionsPage session={session} />
  if ((params = matchRoute('/versions/:product/:version', path)) && needs(['operator'])) return <VersionPage key={`${params.product}@${params.version}`} session={session} product={params.product!} version={params.version!} />
  if (path === '/releases' && needs(['operator'])) return <ReleasesPage session={session} />
  if ((params = matchRoute('/releases/:id', path)) && needs(['operator'])) return <ReleasePage key={params.id} session={session} id={params.id!} />
  if (path === '/partners' && needs(['operator'])) return <PartnersPage session={session} />
  if (path === '/accounts' && needs(['operator'])) return <AccountsPage session={session} />
  if (path === '/statements' && needs(['operator'])) return <StatementsPage session={session} />
  if (path.split('?')[0] === '/audit' && needs(['operator', 'auditor'])) return <AuditPage session={session} />
  if (path === '/usage' && needs(['partner', 'consumer'])) return <UsagePage session={session} />
  if (path === '/runs' && needs(['consumer'])) return <RunsPage session={session} />
  if (path === '/my/scenarios' && needs(['partner'])) return <MyScenariosPage session={session} />
  if (path === '/my/products' && needs(['partner'])) return <MyProductsPage session={session} />
  return <SignInPage onSignIn={onSignIn} />
}

function Shell({ language, onLanguage }: { language: Language; onLanguage: (l: Language) => void }) {
  const t = useT()
  const name = useName()
  const path = useHashPath()
  const [session, setSession] = useState<Session | undefined>(savedSession())
  const directory = useLoadedDirectory(session)
  const main = useRef<HTMLElement>(null)
  // keyboard and screen-reader users land on the new screen's content, not at the top of the nav
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('h1')?.focus()
  }, [path])
  const signIn = (s: Session) => {
    saveSession(s)
    setSession(s)
    // a shared link (#/releases/rel-…) opened before signing in is where the reviewer goes
    if (path === '/sign-in') navigate(HOME[s.role])
  }
  const signOut = () => {
    saveSession(undefined)
    setSession(undefined)
    navigate('/products')
  }
  useEffect(() => {
    const refused = () => {
      saveSession(undefined)
      setSession(undefined)
    }
    addEventListener(CREDENTIAL_REFUSED, refused)
    return () => removeEventListener(CREDENTIAL_REFUSED, refused)
  }, [])
  const visible = NAVIGATION.filter((s) => s.roles === 'everyone' || (session !== undefined && s.roles.includes(session.role)))
  return (
    <DirectoryContext.Provider value={directory}>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus() }}>
        {t('skipToContent')}
      </a>
      <header class="top">
        <span class="brand">indomain · {t('appTitle')}</span>
        <nav aria-label={t('appTitle')}>
          <ul>
            {visible.map((s) => (
              <li key={s.label}>
                <a href={`#${s.path}`} aria-current={path.split('?')[0]!.startsWith(s.path) ? 'page' : undefined}>
                  {t(s.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <button type="button" class="link" lang={language === 'zh' ? 'en' : 'zh-CN'} title={t('languageSwitch')} onClick={() => onLanguage(language === 'zh' ? 'en' : 'zh')}>
            {t('language')}
          </button>
          {session === undefined ? (
            <a href="#/sign-in">{t('signIn')}</a>
          ) : (
            <>
              <span class="muted" data-testid="signed-in">
                {name(ROLE_NAMES, session.role)}
                {session.subject === '' ? null : (
                  <>
                    {' · '}
                    {session.role === 'partner' ? <PartnerName id={session.subject} withId /> : session.role === 'consumer' ? <ConsumerName id={session.subject} withId /> : <code>{session.subject}</code>}
                  </>
                )}
              </span>
              <button type="button" class="link" onClick={signOut}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page path={path} session={session} onSignIn={signIn} />
      </main>
    </DirectoryContext.Provider>
  )
}

function App() {
  const [language, setLanguage] = useState<Language>(savedLanguage())
  useEffect(() => saveLanguage(language), [language])
  return (
    <LanguageContext.Provider value={language}>
      <Shell language={language} onLanguage={setLanguage} />
    </LanguageContext.Provider>
  )
}

render(<App />, document.getElementById('app')!)
