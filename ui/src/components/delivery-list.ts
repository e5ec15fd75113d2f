/**
 * The latest delivery attempts of an integration: outcome, vendor status, latency, the error and
 * its hint, and the exact request body sent. Loads itself so the page does not wait for it.
 */
import { describeError, get } from '../api/client.js';
import type { Failure, ListOf } from '../api/types.js';
import { formatTime, h, prettyJson, replace } from '../dom.js';
import { badge } from './feedback.js';

interface Attempt {
  delivery_id?: number;
  profile_key?: string;
  attempt?: number;
  outcome?: 'delivered' | 'retry' | 'failed';
  status?: number;
  error?: Failure;
  latency_ms?: number;
  at?: string;
  request_body?: string;
}

const LIMIT = 10;

export function deliveryList(integrationId: string): HTMLElement {
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const section = h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'deliveries-title' } },
    h('h2', { attrs: { id: 'deliveries-title' } }, 'Recent deliveries'),
    body,
  );

  get<ListOf<Attempt>>(
    `/integrations/${encodeURIComponent(integrationId)}/deliveries?limit=${LIMIT}`,
  )
    .then((attempts) =>
      replace(
        body,
        attempts.data.length === 0
          ? h('p', { class: 'muted' }, 'No delivery yet.')
          : table(attempts.data),
      ),
    )
    .catch((error: unknown) =>
      replace(body, h('p', { class: 'notice notice-bad' }, describeError(error))),
    );
  return section;
}

function table(attempts: Attempt[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['When', 'Profile', 'Outcome', 'Latency', 'Details'].map((t) =>
            h('th', { attrs: { scope: 'col' } }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        attempts.map((attempt) =>
          h(
            'tr',
            null,
            h('td', null, formatTime(attempt.at)),
            h('td', { class: 'mono' }, attempt.profile_key ?? '—'),
            h('td', null, outcomeBadge(attempt)),
            h(
              'td',
              { class: 'num' },
              attempt.latency_ms === undefined ? '—' : `${attempt.latency_ms} ms`,
            ),
            h('td', null, details(attempt)),
          ),
        ),
      ),
    ),
  );
}

function outcomeBadge(attempt: Attempt): HTMLElement {
  const label = `${attempt.outcome ?? '?'}${attempt.status ? ` ${attempt.status}` : ''}`;
  return badge(
    label,
    attempt.outcome === 'delivered' ? 'ok' : attempt.outcome === 'failed' ? 'bad' : 'warn',
  );
}

function details(attempt: Attempt): HTMLElement {
  return h(
    'details',
    null,
    h('summary', null, attempt.error?.message ?? 'Request'),
    attempt.error?.hint
      ? h('p', { class: 'small' }, h('strong', null, 'Hint: '), attempt.error.hint)
      : null,
    attempt.request_body ? h('pre', { class: 'json' }, prettyJson(attempt.request_body)) : null,
    attempt.error?.vendor_body
      ? h('pre', { class: 'json' }, prettyJson(attempt.error.vendor_body))
      : null,
  );
}
