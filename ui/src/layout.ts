/**
 * The signed-in frame: a skip link, the navigation (a sidebar, or a scrolling strip on a phone),
 * and the `main` region pages render into.
 */
import { h } from './dom.js';
import { href } from './router.js';

export const SECTIONS = [
  { id: 'overview', label: 'Overview', path: '/' },
  { id: 'integrations', label: 'Integrations', path: '/integrations' },
  { id: 'debugger', label: 'Event Debugger', path: '/debugger' },
  { id: 'dead-letters', label: 'Dead letters', path: '/dead-letters' },
  { id: 'pipelines', label: 'Pipelines', path: '/pipelines' },
  { id: 'consent', label: 'Settings · Consent', path: '/settings/consent' },
] as const;

export interface Shell {
  root: HTMLElement;
  main: HTMLElement;
  /** Marks the current section in the navigation with `aria-current`. */
  select(section: string): void;
}

export function createShell(options: { email: string; role: string; onLogout: () => void }): Shell {
  const links = SECTIONS.map((section) => ({
    id: section.id,
    link: h('a', { attrs: { href: href(section.path) } }, section.label),
  }));
  const main = h('main', { attrs: { id: 'main', tabindex: '-1' } });
  const logout = h(
    'button',
    { class: 'btn btn-small', attrs: { type: 'button' }, on: { click: options.onLogout } },
    'Sign out',
  );

  const root = h(
    'div',
    { class: 'shell' },
    h('a', { class: 'skip-link', attrs: { href: '#main' } }, 'Skip to content'),
    h(
      'header',
      { class: 'sidebar' },
      h(
        'div',
        { class: 'brand' },
        h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }),
        'Signal',
      ),
      h(
        'nav',
        { class: 'nav', attrs: { 'aria-label': 'Main' } },
        h(
          'ul',
          null,
          links.map(({ link }) => h('li', null, link)),
        ),
      ),
      h(
        'div',
        { class: 'sidebar-footer' },
        h('span', null, options.email, h('span', { class: 'muted' }, ` (${options.role})`)),
        logout,
      ),
    ),
    main,
  );

  // The skip link targets #main; route it through focus() since the router owns clicks on links.
  root.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });

  return {
    root,
    main,
    select(section) {
      for (const { id, link } of links) {
        if (id === section) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
  };
}

/** A page heading with an optional lead paragraph and actions on the right. */
export function pageHeader(
  title: string,
  options: { lead?: string; actions?: Node[]; crumbs?: { label: string; path?: string }[] } = {},
): HTMLElement {
  const crumbs = options.crumbs
    ? h(
        'nav',
        { class: 'breadcrumb', attrs: { 'aria-label': 'Breadcrumb' } },
        h(
          'ol',
          null,
          options.crumbs.map((crumb) =>
            h(
              'li',
              null,
              crumb.path ? h('a', { attrs: { href: href(crumb.path) } }, crumb.label) : crumb.label,
            ),
          ),
        ),
      )
    : null;

  return h(
    'div',
    null,
    crumbs,
    h(
      'div',
      { class: 'page-header' },
      h(
        'div',
        null,
        h('h1', { attrs: { tabindex: '-1' } }, title),
        options.lead ? h('p', null, options.lead) : null,
      ),
      options.actions ? h('div', { class: 'row' }, options.actions) : null,
    ),
  );
}

export function loading(): HTMLElement {
  return h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…');
}
