// The dashboard page: a session check, then the pages behind a small navigation bar. preact-iso routes by path,
// so every page has its own address and the browser's back button works.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import { get, post, rememberSession, type SessionInfo } from './api.js';
import { LiveContext, OwnerContext } from './context.js';
import { ConnectionBanner } from './components/connection-banner.js';
import { useLive } from './hooks.js';
import { Backtests } from './pages/backtests.js';
import { Config } from './pages/config.js';
import { Decisions } from './pages/decisions.js';
import { Log } from './pages/log.js';
import { Login } from './pages/login.js';
import { Models } from './pages/models.js';
import { Shadows } from './pages/shadows.js';
import { Overview } from './pages/overview.js';
import { Setup } from './pages/setup.js';
import { Trades } from './pages/trades.js';
import './styles.css';

const PAGES: [string, string][] = [
  ['/', 'Overview'],
  ['/trades', 'Trades'],
  ['/decisions', 'Decisions'],
  ['/models', 'Models'],
  ['/shadows', 'Shadows'],
  ['/backtests', 'Backtests'],
  ['/log', 'Log'],
  ['/config', 'Config'],
];
const OWNER_PAGES: [string, string][] = [['/setup', 'Setup']];

function Nav({ session, onLogout }: { session: SessionInfo; onLogout: () => void }) {
  const { path } = useLocation();
  return (
    <nav>
      <strong class="brand">Trading daemon</strong>
      {[...PAGES, ...(session.role === 'owner' ? OWNER_PAGES : [])].map(([href, label]) => (
        <a key={href} href={href} class={path === href ? 'active' : ''}>
          {label}
        </a>
      ))}
      <span class="spacer" />
      <span class="muted" data-testid="role">
        {session.role === 'owner' ? 'owner' : 'read-only'}
      </span>
      <button onClick={onLogout}>Log out</button>
    </nav>
  );
}

const NotFound = () => <p class="muted">No such page.</p>;

function Pages({ session }: { session: SessionInfo }) {
  const live = useLive();
  return (
    <LiveContext.Provider value={live}>
      <OwnerContext.Provider value={session.role === 'owner'}>
        <main>
          {/* On every page: figures read before the stream was lost must not pass for live ones. */}
          <ConnectionBanner />
          <Router>
            <Route path="/" component={Overview} />
            <Route path="/trades" component={Trades} />
            <Route path="/decisions" component={Decisions} />
            <Route path="/models" component={Models} />
            <Route path="/shadows" component={Shadows} />
            <Route path="/backtests" component={Backtests} />
            <Route path="/log" component={Log} />
            <Route path="/config" component={Config} />
            <Route path="/setup" component={Setup} />
            <Route default component={NotFound} />
          </Router>
        </main>
      </OwnerContext.Provider>
    </LiveContext.Provider>
  );
}

function App() {
  const [session, setSession] = useState<SessionInfo>();
  useEffect(() => {
    get<SessionInfo>('/api/session').then(
      (info) => {
        rememberSession(info);
        setSession(info);
      },
      () => setSession({ authenticated: false, setupSuggested: false }),
    );
  }, []);
  if (!session) return null;
  if (!session.authenticated) {
    return (
      <Login
        onLogin={(info) => {
          rememberSession(info);
          setSession(info);
        }}
      />
    );
  }
  const logout = async () => {
    await post('/api/logout').catch(() => undefined);
    setSession({ authenticated: false, setupSuggested: false });
  };
  return (
    <LocationProvider>
      <Nav session={session} onLogout={logout} />
      {session.setupSuggested && (
        <p class="panel" data-testid="setup-banner">
          No configuration file yet: the daemon runs on defaults. <a href="/setup">Open the setup wizard</a>.
        </p>
      )}
      <Pages session={session} />
    </LocationProvider>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
