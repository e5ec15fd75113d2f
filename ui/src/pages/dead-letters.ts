/**
 * Dead letters: profile writes the vendor refused for good, with the error and the hint to fix
 * it. Once the cause is fixed, replay sends them again; discard deletes them (audited).
 */
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { DeadLetter } from '../api/types.js';
import { badge, confirmAction, toast } from '../components/feedback.js';
import { busy, selectField } from '../components/form.js';
import { formatTime, h, prettyJson, replace } from '../dom.js';
import { pageHeader } from '../layout.js';
import { navigate, type RouteContext } from '../router.js';
import { isAdmin } from '../session.js';

const LIMIT = 200;

export async function renderDeadLetters(main: HTMLElement, context: RouteContext) {
  const integrationId = context.query.get('integration') ?? '';
  const [integrations, letters] = await Promise.all([
    api.integrations(context.signal),
    api.deadLetters({ integration: integrationId || undefined, limit: LIMIT }, context.signal),
  ]);
  const names = new Map(integrations.data.map((i) => [i.id, i.name]));

  const filter = selectField({
    label: 'Integration',
    name: 'integration',
    value: integrationId,
    choices: [
      { value: '', label: 'All integrations' },
      ...integrations.data.map((i) => ({ value: i.id, label: i.name })),
    ],
  });
  filter.control.addEventListener('change', () => {
    const value = filter.control.value;
    navigate(`/dead-letters${value ? `?integration=${encodeURIComponent(value)}` : ''}`, {
      replace: true,
    });
  });

  const list = h('div');
  const redraw = async () => {
    const fresh = await api.deadLetters({ integration: integrationId || undefined, limit: LIMIT });
    draw(fresh.data);
  };
  const draw = (items: DeadLetter[]) => {
    const hadFocus = list.contains(document.activeElement);
    replace(
      list,
      items.length === 0
        ? h(
            'p',
            { class: 'empty' },
            'No dead letter. Every delivery succeeded or is still being retried.',
          )
        : view(items, names, () => void redraw()),
    );
    // The button that was used is gone with the old table; keep focus on the page.
    if (hadFocus) main.querySelector('h1')?.focus();
  };

  main.append(
    pageHeader('Dead letters', {
      lead: 'Deliveries the vendor refused for good. Fix the cause, then replay.',
    }),
    h('div', { class: 'toolbar' }, filter.element),
    list,
  );
  draw(letters.data);
}

function view(items: DeadLetter[], names: Map<string, string>, redraw: () => void): HTMLElement {
  const ids = items.map((item) => item.id);
  const replayAll = h(
    'button',
    { class: 'btn btn-primary', attrs: { type: 'button' } },
    `Replay all ${items.length}`,
  );
  const discardAll = h(
    'button',
    { class: 'btn btn-danger', attrs: { type: 'button' } },
    `Discard all ${items.length}`,
  );
  replayAll.addEventListener('click', () => void busy(replayAll, () => replay(ids, redraw)));
  discardAll.addEventListener('click', () => void busy(discardAll, () => discard(ids, redraw)));

  return h(
    'div',
    null,
    isAdmin()
      ? h(
          'div',
          { class: 'actions', attrs: { 'aria-label': 'Act on every dead letter listed' } },
          replayAll,
          discardAll,
        )
      : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'stacked' },
        h('caption', { class: 'visually-hidden' }, 'Dead letters, newest first'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Failed', 'Integration', 'Profile', 'Error', ''].map((t) =>
              h('th', { attrs: { scope: 'col' } }, t),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          items.map((item) => row(item, names, redraw)),
        ),
      ),
    ),
  );
}

function row(item: DeadLetter, names: Map<string, string>, redraw: () => void): HTMLElement {
  const replayOne = h(
    'button',
    {
      class: 'btn btn-small',
      attrs: {
        type: 'button',
        'aria-label': `Replay dead letter ${item.id} for ${item.profile_key}`,
      },
    },
    'Replay',
  );
  const discardOne = h(
    'button',
    {
      class: 'btn btn-small btn-danger',
      attrs: {
        type: 'button',
        'aria-label': `Discard dead letter ${item.id} for ${item.profile_key}`,
      },
    },
    'Discard',
  );
  replayOne.addEventListener('click', () => void busy(replayOne, () => replay([item.id], redraw)));
  discardOne.addEventListener(
    'click',
    () => void busy(discardOne, () => discard([item.id], redraw)),
  );
  const status = item.error.vendor_status;

  return h(
    'tr',
    { attrs: { 'data-dead-letter': item.id } },
    h(
      'td',
      { attrs: { 'data-label': 'Failed' } },
      formatTime(item.failed_at),
      h('br'),
      h(
        'span',
        { class: 'muted small' },
        `${item.attempts} attempt${item.attempts === 1 ? '' : 's'}`,
      ),
    ),
    h(
      'td',
      { attrs: { 'data-label': 'Integration' } },
      names.get(item.integration_id) ?? item.integration_id,
    ),
    h('td', { class: 'mono', attrs: { 'data-label': 'Profile' } }, item.profile_key),
    h(
      'td',
      { attrs: { 'data-label': 'Error' } },
      h(
        'p',
        null,
        status ? badge(String(status), 'bad') : null,
        ' ',
        item.error.message ?? item.error.code ?? 'Failed',
      ),
      item.error.hint
        ? h('p', { class: 'small' }, h('strong', null, 'Hint: '), item.error.hint)
        : null,
      h(
        'details',
        null,
        h('summary', { class: 'small' }, 'Attributes and vendor answer'),
        h('pre', { class: 'json' }, prettyJson(item.attributes)),
        item.error.vendor_body
          ? h('pre', { class: 'json' }, prettyJson(item.error.vendor_body))
          : null,
        h('p', { class: 'small muted' }, `Events: ${item.message_ids.join(', ')}`),
      ),
    ),
    h('td', null, isAdmin() ? h('div', { class: 'row' }, replayOne, discardOne) : null),
  );
}

async function replay(ids: number[], redraw: () => void): Promise<void> {
  try {
    const result = await api.replay({ ids });
    toast(`${result.replayed} ${result.replayed === 1 ? 'delivery' : 'deliveries'} queued again.`);
    redraw();
  } catch (error) {
    toast(`Replay failed: ${describeError(error)}`);
  }
}

async function discard(ids: number[], redraw: () => void): Promise<void> {
  const sure = await confirmAction({
    title: ids.length === 1 ? 'Discard this dead letter?' : `Discard ${ids.length} dead letters?`,
    message: 'The profile writes are deleted and will not be sent. The audit log records it.',
    confirm: 'Discard',
  });
  if (!sure) return;
  try {
    const result = await api.discard(ids);
    toast(`${result.discarded} dead letter${result.discarded === 1 ? '' : 's'} discarded.`);
    redraw();
  } catch (error) {
    toast(`Discard failed: ${describeError(error)}`);
  }
}
