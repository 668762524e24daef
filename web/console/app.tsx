/**
 * govgraph's web console, served at /console: a single-page app over the management API
 * (`POST /admin/graphql`, same origin) for application developers, department administrators
 * and the platform administrator.
 *
 * The console holds no privilege: it signs in with a token the user pastes (kept in
 * sessionStorage), asks `me` who that is, shows the sections meant for that kind of principal
 * and shows whatever the API answers — data or refusals — for the token.
 */
import { StrictMode, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, adminRequest, type ConsoleCredential } from './api.ts';
import { SignInPage, type SignedIn } from './signInPage.tsx';
import * as Q from './queries.ts';
import { SECTIONS, hrefOf, parseHash, sectionVisible, sectionsFor, type Route, type Section, type Viewer } from './routes.ts';
import { forgetToken, storeToken, storedToken } from './session.ts';
import type { Department, Principal, Purpose, Session } from './types.ts';
import { Badge, ErrorBox, Loading, Notice, SessionContext, type SessionValue } from './ui.tsx';
import { AccessPage } from './pages/access.tsx';
import { ApplyPage } from './pages/apply.tsx';
import { ApplicationsPage, EscalationsPage, InboxPage } from './pages/applications.tsx';
import { AppsPage } from './pages/apps.tsx';
import { MembersPage } from './pages/members.tsx';
import { AuditPage } from './pages/audit.tsx';
import { CataloguePage } from './pages/catalogue.tsx';
import { GrantsPage } from './pages/grants.tsx';
import { NotificationsPage } from './pages/notifications.tsx';
import { ObjectionsPage } from './pages/objections.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { HistoryPage, PoliciesPage, ProposalsPage } from './pages/policies.tsx';
import { RegistryPage } from './pages/registry.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { DeadlinesPage } from './pages/deadlines.tsx';
import { CalendarBanner, CalendarPage } from './pages/calendar.tsx';
import { COMMON, type CommonKey } from './i18n/common.ts';
import { I18nProvider, LanguageSwitch, useMessages } from './i18n/I18nProvider.tsx';

type AuthState =
  | { readonly phase: 'signed-out'; readonly error?: unknown; readonly notice?: string }
  | { readonly phase: 'checking' }
  | { readonly phase: 'signed-in'; readonly session: Session };

interface MeAnswer { me: Principal; departments: Department[]; purposes: Purpose[]; policyVersion: number }

async function openSession(token: ConsoleCredential): Promise<Session> {
  const data = await adminRequest<MeAnswer>(token, Q.ME);
  return typeof token === 'string' ? { token, ...data } : { token: '', csrfToken: token.csrfToken, ...data };
}

/** A signed-in person's session (the cookie), if the browser has one: asked on every load. */
async function personSession(): Promise<SignedIn | null> {
  const response = await fetch('/auth/session', { cache: 'no-store', credentials: 'same-origin' });
  if (!response.ok) return null;
  const answer = (await response.json()) as { signedIn?: boolean; csrfToken?: string };
  return answer.signedIn && answer.csrfToken ? { csrfToken: answer.csrfToken } : null;
}

function useHashRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return useMemo(() => parseHash(hash), [hash]);
}

function App() {
  const common = useMessages(COMMON);
  const [auth, setAuth] = useState<AuthState>({ phase: 'checking' });

  useEffect(() => {
    const token = storedToken();
    if (!token) {
      personSession().then(
        (signedIn) => (signedIn ? openSession(signedIn).then((session) => setAuth({ phase: 'signed-in', session })) : setAuth({ phase: 'signed-out' })),
        (error: unknown) => setAuth({ phase: 'signed-out', error }),
      );
      return;
    }
    openSession(token).then(
      (session) => setAuth({ phase: 'signed-in', session }),
      (error: unknown) => {
        if (error instanceof ApiError && error.unauthenticated) forgetToken();
        setAuth({ phase: 'signed-out', error });
      },
    );
  }, []);

  const signIn = useCallback(async (token: string) => {
    setAuth({ phase: 'checking' });
    try {
      const session = await openSession(token);
      storeToken(token);
      setAuth({ phase: 'signed-in', session });
    } catch (error) {
      forgetToken();
      setAuth({ phase: 'signed-out', error });
    }
  }, []);

  const signInPerson = useCallback(async (signedIn: SignedIn) => {
    setAuth({ phase: 'checking' });
    try {
      setAuth({ phase: 'signed-in', session: await openSession(signedIn) });
    } catch (error) {
      setAuth({ phase: 'signed-out', error });
    }
  }, []);

  const signOut = useCallback((reason?: { error?: unknown; notice?: string }) => {
    forgetToken();
    // A person's session ends on the server too (the cookie is cleared there).
    const csrfToken = auth.phase === 'signed-in' ? auth.session.csrfToken : undefined;
    if (csrfToken) void fetch('/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: '{}', credentials: 'same-origin' }).catch(() => {});
    setAuth({ phase: 'signed-out', ...reason });
  }, [auth]);

  if (auth.phase === 'checking') return <main className="signin"><Loading what={common('session')} /></main>;
  if (auth.phase === 'signed-out') return <SignInPage error={auth.error} notice={auth.notice} onToken={signIn} onSession={(s) => void signInPerson(s)} />;
  return <Shell session={auth.session} signOut={signOut} />;
}

function Shell({ session, signOut }: { session: Session; signOut(reason?: { error?: unknown; notice?: string }): void }) {
  const route = useHashRoute();
  const { me } = session;
  const department = session.departments.find((d) => d.code === me.department);
  const viewer: Viewer = { kind: me.kind, departmentRole: department?.role };
  const sections = sectionsFor(viewer);
  const t = useMessages(COMMON);

  const request = useCallback(async <T,>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    try {
      return await adminRequest<T>(session.csrfToken ? { csrfToken: session.csrfToken } : session.token, query, variables);
    } catch (error) {
      // A revoked or expired token ends the session everywhere at once, with the API's reason.
      if (error instanceof ApiError && error.unauthenticated) signOut({ error });
      throw error;
    }
  }, [session.token, session.csrfToken, signOut]);
  const value = useMemo<SessionValue>(() => ({
    session,
    request,
    departmentName: (code) => session.departments.find((d) => d.code === code)?.name ?? code,
  }), [session, request]);

  const navigate = useCallback((query: Record<string, string | undefined>) => {
    window.location.hash = hrefOf(route.section ?? 'overview', route.params, query);
  }, [route]);

  const current = SECTIONS.find((s) => s.id === route.section);
  let page: ReactNode;
  if (!current) page = <Notice kind="warning" testId="unknown-page">{t('unknownPage', { hash: window.location.hash })} <a href="#/overview">{t('goOverview')}</a></Notice>;
  else if (!sectionVisible(current, viewer)) {
    page = <Notice kind="warning" testId="not-for-you">{t('notForYou', { section: sectionLabel(t, current), kind: t(`kind.${me.kind}`), department: department?.name ?? me.department })} <a href="#/overview">{t('goOverview')}</a></Notice>;
  } else page = renderPage(route, navigate);

  return (
    <SessionContext.Provider value={value}>
      <div className="shell">
        <header className="topbar">
          <a className="brand" href="#/overview"><span className="brand-mark" aria-hidden="true">政</span> {t('brand')}</a>
          <div className="whoami" data-testid="whoami">
            <span className="whoami-dept" data-testid="whoami-department">{department?.name ?? me.department}</span>
            <span className="muted">{me.name}</span>
            <span title={me.kind}><Badge value={me.kind} label={t(`kind.${me.kind}`)} /></span>
          </div>
          <LanguageSwitch />
          <button type="button" className="secondary" onClick={() => signOut({ notice: session.csrfToken ? '您已退出登录。You signed out.' : t('signout.notice') })} data-testid="signout">{t('signout')}</button>
        </header>
        <nav className="sidenav" aria-label={t('nav.label')}>
          <ul>
            {sections.map((s) => (
              <li key={s.id}><a href={hrefOf(s.id)} className={route.section === s.id ? 'active' : undefined} aria-current={route.section === s.id ? 'page' : undefined} data-testid={`nav-${s.id}`}>{sectionLabel(t, s)}</a></li>
            ))}
          </ul>
        </nav>
        <main className="content" key={`${route.section}/${route.params.join('/')}`}><CalendarBanner />{page}</main>
      </div>
    </SessionContext.Provider>
  );
}

/** A section's name in the current language (the `nav.<id>` text; its English label until one is written). */
function sectionLabel(t: ReturnType<typeof useMessages<CommonKey>>, section: Section): string {
  const key = `nav.${section.id}`;
  return key in COMMON['zh-CN'] ? t(key as CommonKey) : section.label;
}

function renderPage(route: Route, navigate: (query: Record<string, string | undefined>) => void): ReactNode {
  const { query, params } = route;
  switch (route.section) {
    case 'overview': return <OverviewPage />;
    case 'access': return <AccessPage />;
    case 'catalogue': return <CataloguePage query={query} navigate={navigate} />;
    case 'apply': return <ApplyPage key={JSON.stringify(query)} query={query} />;
    case 'applications': return <ApplicationsPage params={params} query={query} navigate={navigate} />;
    case 'inbox': return <InboxPage />;
    case 'escalations': return <EscalationsPage />;
    case 'notifications': return <NotificationsPage query={query} navigate={navigate} />;
    case 'objections': return <ObjectionsPage query={query} navigate={navigate} />;
    case 'grants': return <GrantsPage query={query} navigate={navigate} />;
    case 'policies': return <PoliciesPage query={query} navigate={navigate} />;
    case 'proposals': return <ProposalsPage query={query} navigate={navigate} />;
    case 'history': return <HistoryPage />;
    case 'apps': return <AppsPage query={query} navigate={navigate} />;
    case 'members': return <MembersPage query={query} navigate={navigate} />;
    case 'audit': return <AuditPage />;
    case 'reports': return <ReportsPage query={query} navigate={navigate} />;
    case 'registry': return <RegistryPage />;
    case 'settings': return <SettingsPage />;
    case 'deadlines': return <DeadlinesPage />;
    case 'calendar': return <CalendarPage />;
    case null: return null;
    default: {
      const unreachable: never = route.section;
      throw new Error(`no page for section ${String(unreachable)}`);
    }
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('the console page has no #root element; is /console serving web/console/serve.ts html()?');
createRoot(root).render(<StrictMode><I18nProvider><App /></I18nProvider></StrictMode>);
