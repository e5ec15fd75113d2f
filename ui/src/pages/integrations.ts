/**
 * Integrations: the user's integrations with their health, and the Integration Library from
 * which "Add integration" starts.
 */
import { api } from '../api/endpoints.js';
import type { CatalogEntry, Health, Integration } from '../api/types.js';
import { badge } from '../components/feedback.js';
import { formatTime, h } from '../dom.js';
import { pageHeader } from '../layout.js';
import { href, type RouteContext } from '../router.js';
import { isAdmin } from '../session.js';

export async function renderIntegrations(main: HTMLElement, context: RouteContext) {
  const [integrations, catalog] = await Promise.all([
    api.integrations(context.signal),
    api.catalog(context.signal),
  ]);

  const add = isAdmin()
    ? [
        h(
          'a',
          { class: 'btn btn-primary', attrs: { href: href('/integrations/new') } },
          'Add integration',
        ),
      ]
    : [];
  main.append(
    pageHeader('Integrations', { lead: 'Where Signal delivers events.', actions: add }),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'my-integrations' } },
      h('h2', { attrs: { id: 'my-integrations' } }, 'My Integrations'),
      integrations.data.length === 0
        ? h('p', { class: 'empty' }, 'No integration yet. Add one from the library below.')
        : integrationTable(integrations.data, catalog.data),
    ),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'library' } },
      h('h2', { attrs: { id: 'library' } }, 'Integration Library'),
      libraryCards(catalog.data),
    ),
  );
}

/** Integrations > Add Integration: pick a vendor from the library. */
export async function renderLibrary(main: HTMLElement, context: RouteContext) {
  const catalog = await api.catalog(context.signal);
  main.append(
    pageHeader('Add integration', {
      lead: 'Choose the vendor to deliver to.',
      crumbs: [{ label: 'Integrations', path: '/integrations' }, { label: 'Add integration' }],
    }),
    libraryCards(catalog.data),
  );
}

function integrationTable(integrations: Integration[], catalog: CatalogEntry[]): HTMLElement {
  const vendorName = (vendor: string) => catalog.find((e) => e.vendor === vendor)?.name ?? vendor;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'visually-hidden' }, 'My integrations and their health'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Name', 'Vendor', 'Status', 'Queue', 'Dead letters', 'Last delivery'].map((title) =>
            h(
              'th',
              {
                class: title === 'Queue' || title === 'Dead letters' ? 'num' : '',
                attrs: { scope: 'col' },
              },
              title,
            ),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        integrations.map((integration) =>
          h(
            'tr',
            null,
            h(
              'td',
              null,
              h(
                'a',
                { attrs: { href: href(`/integrations/${encodeURIComponent(integration.id)}`) } },
                integration.name,
              ),
            ),
            h('td', null, vendorName(integration.vendor)),
            h('td', null, statusBadge(integration)),
            h('td', { class: 'num' }, queueText(integration.health)),
            h('td', { class: 'num' }, deadLetterCell(integration)),
            h('td', null, lastDelivery(integration.health)),
          ),
        ),
      ),
    ),
  );
}

function libraryCards(catalog: CatalogEntry[]): HTMLElement {
  return h(
    'ul',
    { class: 'grid', attrs: { role: 'list' } },
    catalog.map((entry) =>
      h(
        'li',
        { class: 'card' },
        h('h3', null, entry.name),
        h('p', { class: 'muted small' }, entry.category),
        h('p', null, entry.description),
        isAdmin()
          ? h(
              'a',
              {
                class: 'btn btn-primary',
                attrs: {
                  href: href(`/integrations/new/${encodeURIComponent(entry.vendor)}`),
                  'aria-label': `Add ${entry.name}`,
                },
              },
              'Add',
            )
          : null,
      ),
    ),
  );
}

export function statusBadge(integration: Integration): HTMLElement {
  if (integration.status === 'error') return badge('error', 'bad');
  if (integration.status === 'disabled' || !integration.enabled) return badge('disabled');
  return badge('running', 'ok');
}

export function queueText(health?: Health): string {
  if (!health) return '—';
  return health.in_flight > 0
    ? `${health.waiting} (+${health.in_flight} in flight)`
    : String(health.waiting);
}

function deadLetterCell(integration: Integration): Node | string {
  const count = integration.health?.dead_letters ?? 0;
  if (count === 0) return '0';
  return h(
    'a',
    { attrs: { href: href(`/dead-letters?integration=${encodeURIComponent(integration.id)}`) } },
    badge(String(count), 'bad'),
  );
}

export function lastDelivery(health?: Health): Node {
  const last = health?.last_delivery;
  if (!last) return h('span', { class: 'muted' }, 'none yet');
  const tone = last.outcome === 'delivered' ? 'ok' : last.outcome === 'failed' ? 'bad' : 'warn';
  return h(
    'span',
    { class: 'row' },
    badge(`${last.outcome ?? 'unknown'}${last.status ? ` ${last.status}` : ''}`, tone),
    h('span', { class: 'muted small' }, formatTime(last.at)),
  );
}
