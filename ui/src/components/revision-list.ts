/**
 * Every saved version of an integration, newest first, with what changed and a rollback to any
 * earlier one (which becomes a new revision; nothing is lost).
 */
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Change, Revision } from '../api/types.js';
import { formatTime, h, replace } from '../dom.js';
import { isAdmin } from '../session.js';
import { confirmAction, toast } from './feedback.js';
import { busy } from './form.js';

export function revisionList(integrationId: string, onRollback: () => void): HTMLElement {
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const section = h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'revisions-title' } },
    h('h2', { attrs: { id: 'revisions-title' } }, 'Revisions'),
    body,
  );

  api
    .revisions(integrationId)
    .then((revisions) => replace(body, table(integrationId, revisions.data, onRollback)))
    .catch((error: unknown) =>
      replace(body, h('p', { class: 'notice notice-bad' }, describeError(error))),
    );
  return section;
}

function table(integrationId: string, revisions: Revision[], onRollback: () => void): HTMLElement {
  const latest = Math.max(...revisions.map((r) => r.revision));
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
          ['Revision', 'When', 'Who', 'What changed', ''].map((t) =>
            h('th', { attrs: { scope: 'col' } }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        revisions.map((revision) =>
          h(
            'tr',
            null,
            h(
              'td',
              { class: 'num' },
              `#${revision.revision}`,
              revision.revision === latest ? ' (current)' : '',
            ),
            h('td', null, formatTime(revision.at)),
            h('td', null, revision.actor),
            h(
              'td',
              null,
              h('span', { class: 'small' }, revision.action),
              changeList(revision.changes),
            ),
            h(
              'td',
              null,
              revision.revision !== latest && isAdmin()
                ? rollbackButton(integrationId, revision.revision, onRollback)
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

function changeList(changes: Change[]): HTMLElement | null {
  if (changes.length === 0) return null;
  return h(
    'ul',
    { class: 'small' },
    changes.slice(0, 8).map((change) => h('li', null, describeChange(change))),
    changes.length > 8 ? h('li', { class: 'muted' }, `and ${changes.length - 8} more`) : null,
  );
}

function describeChange(change: Change): string {
  const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (change.change === 'changed' && 'from' in change && 'to' in change) {
    return `${change.field}: ${value(change.from)} → ${value(change.to)}`;
  }
  return `${change.field} ${change.change}`;
}

function rollbackButton(integrationId: string, revision: number, done: () => void): HTMLElement {
  const button = h(
    'button',
    {
      class: 'btn btn-small',
      attrs: { type: 'button', 'aria-label': `Roll back to revision ${revision}` },
    },
    'Roll back',
  );
  button.addEventListener(
    'click',
    () =>
      void busy(button, async () => {
        const sure = await confirmAction({
          title: `Roll back to revision #${revision}?`,
          message:
            'The settings and mappings of that revision become current at once, as a new revision.',
          confirm: 'Roll back',
        });
        if (!sure) return;
        try {
          await api.rollback(integrationId, revision);
          toast(`Rolled back to revision #${revision}.`);
          done();
        } catch (error) {
          toast(describeError(error));
        }
      }),
  );
  return button;
}
