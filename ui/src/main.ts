/**
 * Entry point of the management UI: checks the session, then renders the page for the URL into
 * the shell, moving focus to its heading so keyboard and screen-reader users land on the page.
 */
import { ApiError, describeError, whenSignedOut } from './api/client.js';
import { api } from './api/endpoints.js';
import { h } from './dom.js';
import { createShell, type Shell } from './layout.js';
import { renderAddIntegration } from './pages/add-integration.js';
import { renderConsent } from './pages/consent.js';
import { renderDeadLetters } from './pages/dead-letters.js';
import { renderDebugger } from './pages/debugger.js';
import { renderIntegration } from './pages/integration-detail.js';
import { renderIntegrations, renderLibrary } from './pages/integrations.js';
import { renderLogin } from './pages/login.js';
import { renderMappings } from './pages/mappings.js';
import { renderOverview } from './pages/overview.js';
import { renderPipelines } from './pages/pipelines.js';
import { BASE, Router, type Route } from './router.js';
import { setUser } from './session.js';

const ROUTES: Route[] = [
  { pattern: '/', section: 'overview', render: renderOverview },
  { pattern: '/integrations', section: 'integrations', render: renderIntegrations },
  { pattern: '/integrations/new', section: 'integrations', render: renderLibrary },
  { pattern: '/integrations/new/:vendor', section: 'integrations', render: renderAddIntegration },
  { pattern: '/integrations/:id', section: 'integrations', render: renderIntegration },
  { pattern: '/integrations/:id/mappings', section: 'integrations', render: renderMappings },
  { pattern: '/debugger', section: 'debugger', render: renderDebugger },
  { pattern: '/dead-letters', section: 'dead-letters', render: renderDeadLetters },
  { pattern: '/pipelines', section: 'pipelines', render: renderPipelines },
  { pattern: '/settings/consent', section: 'consent', render: renderConsent },
];

const root = document.getElementById('app')!;
const router = new Router(ROUTES);
let shell: Shell | undefined;
let leave: (() => void) | undefined;
let controller: AbortController | undefined;
let firstRender = true;

router.onChange(() => void show());
whenSignedOut(() => signOut('Your session has ended. Sign in again to continue.'));
void start();

async function start(): Promise<void> {
  try {
    setUser(await api.me());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut();
    root.replaceChildren(h('p', { class: 'notice notice-bad' }, describeError(error)));
    return;
  }
  await show();
}

function signOut(reason?: string): void {
  leavePage();
  shell = undefined;
  setUser(null);
  const next = location.pathname.startsWith(`${BASE}/login`) ? `${BASE}/` : location.href;
  if (!location.pathname.startsWith(`${BASE}/login`)) {
    history.replaceState(null, '', `${BASE}/login`);
  }
  renderLogin(
    root,
    () => {
      history.replaceState(null, '', next);
      firstRender = true;
      void start();
    },
    reason,
  );
}

async function show(): Promise<void> {
  leavePage();
  if (location.pathname.startsWith(`${BASE}/login`)) return router.navigate('/', { replace: true });

  if (!shell) {
    const user = await api.me().catch(() => null);
    if (!user) return signOut();
    setUser(user);
    shell = createShell({ email: user.email, role: user.role, onLogout: () => void logout() });
    root.replaceChildren(shell.root);
  }

  const found = router.match();
  const current = new AbortController();
  controller = current;
  const context = {
    params: found?.params ?? {},
    query: new URLSearchParams(location.search),
    signal: current.signal,
  };
  shell.select(found?.route.section ?? '');
  shell.main.replaceChildren();

  if (!found) {
    shell.main.append(
      h('h1', { attrs: { tabindex: '-1' } }, 'Page not found'),
      h('p', null, 'There is no page at this address.'),
    );
  } else {
    try {
      const cleanup = await found.route.render(shell.main, context);
      // A page left while it was still loading is cleaned up at once.
      if (current.signal.aborted) cleanup?.();
      else if (cleanup) leave = cleanup;
    } catch (error) {
      if (!current.signal.aborted) {
        shell.main.append(h('p', { class: 'notice notice-bad' }, describeError(error)));
      }
    }
  }
  if (!current.signal.aborted) announcePage();
}

/** Titles the document after the page heading and, after navigation, focuses that heading. */
function announcePage(): void {
  const heading = shell?.main.querySelector('h1');
  document.title = heading?.textContent ? `${heading.textContent} · Signal` : 'Signal';
  if (!firstRender) heading?.focus();
  firstRender = false;
}

function leavePage(): void {
  controller?.abort();
  leave?.();
  leave = undefined;
}

async function logout(): Promise<void> {
  await api.logout().catch(() => undefined);
  signOut();
}
