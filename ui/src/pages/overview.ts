/**
 * Overview: headline numbers for the last hour and, per integration, a per-minute chart of
 * events received, delivered, failed and dropped. Refreshes itself while open.
 */
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Counts, Integration, Timeseries } from '../api/types.js';
import { outcomeChart, type MinuteCounts } from '../components/outcome-chart.js';
import { h, replace } from '../dom.js';
import { loading, pageHeader } from '../layout.js';
import type { RouteContext } from '../router.js';
import { href } from '../router.js';

const MINUTES = 60;
const REFRESH_MS = 15_000;
const ZERO: Counts = { received: 0, delivered: 0, failed: 0, dropped: 0 };

export async function renderOverview(main: HTMLElement, context: RouteContext) {
  const body = h('div', null, loading());
  const status = h('p', { class: 'muted small', attrs: { 'aria-live': 'polite' } });
  main.append(
    pageHeader('Overview', { lead: `Events over the last ${MINUTES} minutes.` }),
    body,
    status,
  );

  const refresh = async () => {
    try {
      const [series, integrations] = await Promise.all([
        api.timeseries(MINUTES, context.signal),
        api.integrations(context.signal),
      ]);
      replace(body, ...overview(series, integrations.data));
      status.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every 15 seconds.`;
    } catch (error) {
      if (!context.signal.aborted) status.textContent = `Refresh failed: ${describeError(error)}`;
    }
  };

  await refresh();
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  return () => clearInterval(timer);
}

function overview(series: Timeseries, integrations: Integration[]): Node[] {
  const totals = sum(series.data.map((minute) => minute.total));
  const deadLetters = integrations.reduce((n, i) => n + (i.health?.dead_letters ?? 0), 0);
  const waiting = integrations.reduce((n, i) => n + (i.health?.waiting ?? 0), 0);

  const headline = h(
    'dl',
    { class: 'stats', attrs: { 'aria-label': `Last ${MINUTES} minutes` } },
    stat('Received', totals.received),
    stat('Delivered', totals.delivered),
    stat('Failed', totals.failed),
    stat('Dropped', totals.dropped),
    stat('Queued now', waiting),
    stat('Dead letters', deadLetters, deadLetters > 0 ? '/dead-letters' : undefined),
  );

  if (integrations.length === 0) {
    return [
      headline,
      h(
        'div',
        { class: 'empty' },
        h('p', null, 'No integration yet: events are received but go nowhere.'),
        h(
          'a',
          { class: 'btn btn-primary', attrs: { href: href('/integrations/new') } },
          'Add integration',
        ),
      ),
      chartCard(
        'All pipelines',
        points(series, (minute) => minute.total),
      ),
    ];
  }

  return [
    headline,
    ...integrations.map((integration) =>
      chartCard(
        integration.name,
        points(series, (minute) => minute.integrations[integration.id] ?? ZERO),
        integration,
      ),
    ),
  ];
}

function chartCard(title: string, data: MinuteCounts[], integration?: Integration): HTMLElement {
  const heading = integration
    ? h(
        'a',
        { attrs: { href: href(`/integrations/${encodeURIComponent(integration.id)}`) } },
        title,
      )
    : title;
  return h(
    'section',
    { class: 'card' },
    h('h2', null, heading),
    outcomeChart(`${title}: events per minute, last ${MINUTES} minutes`, data),
    dataTable(title, data),
  );
}

/** The chart's numbers as a table, for screen readers and anyone who wants exact values. */
function dataTable(title: string, data: MinuteCounts[]): HTMLElement {
  const busy = data.filter((p) => p.received + p.delivered + p.failed + p.dropped > 0);
  return h(
    'details',
    null,
    h('summary', { class: 'small' }, 'Show the numbers'),
    busy.length === 0
      ? h('p', { class: 'muted small' }, 'No events in this period.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            null,
            h('caption', { class: 'visually-hidden' }, `${title}: minutes with events`),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Minute', 'Received', 'Delivered', 'Failed', 'Dropped'].map((c) =>
                  h('th', { attrs: { scope: 'col' } }, c),
                ),
              ),
            ),
            h(
              'tbody',
              null,
              busy.map((p) =>
                h(
                  'tr',
                  null,
                  h('td', null, new Date(p.at).toLocaleTimeString()),
                  h('td', { class: 'num' }, p.received),
                  h('td', { class: 'num' }, p.delivered),
                  h('td', { class: 'num' }, p.failed),
                  h('td', { class: 'num' }, p.dropped),
                ),
              ),
            ),
          ),
        ),
  );
}

function points(
  series: Timeseries,
  pick: (minute: Timeseries['data'][number]) => Counts,
): MinuteCounts[] {
  return series.data.map((minute) => ({ at: minute.minute, ...ZERO, ...pick(minute) }));
}

function sum(counts: Counts[]): Counts {
  return counts.reduce(
    (total, c) => ({
      received: total.received + c.received,
      delivered: total.delivered + c.delivered,
      failed: total.failed + c.failed,
      dropped: total.dropped + c.dropped,
    }),
    ZERO,
  );
}

function stat(label: string, value: number, link?: string): HTMLElement {
  return h(
    'div',
    { class: 'stat' },
    h('dt', null, link ? h('a', { attrs: { href: href(link) } }, label) : label),
    h('dd', null, value.toLocaleString()),
  );
}
