/**
 * Settings → Consent: how the codes of the site's consent platform (OneTrust's C0004, a TCF
 * purpose...) map onto Signal's canonical categories, and the state assumed when nothing says.
 */
import { CONSENT_CATEGORIES } from '../../../src/core/consent.js';
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { ConsentSettings } from '../api/types.js';
import { toast } from '../components/feedback.js';
import { busy, formError, selectField } from '../components/form.js';
import { h, replace } from '../dom.js';
import { pageHeader } from '../layout.js';
import type { RouteContext } from '../router.js';
import { isAdmin } from '../session.js';

interface Row {
  code: string;
  category: string;
}

export async function renderConsent(main: HTMLElement, context: RouteContext) {
  const settings = await api.consent(context.signal);
  main.append(
    pageHeader('Consent', {
      lead: 'Map your consent platform’s codes to the categories integrations are gated on.',
      crumbs: [{ label: 'Settings' }, { label: 'Consent' }],
    }),
    consentForm(settings),
  );
}

function consentForm(settings: ConsentSettings): HTMLElement {
  const rows: Row[] = Object.entries(settings.mapping).map(([code, category]) => ({
    code,
    category,
  }));
  const readOnly = !isAdmin();
  const table = h('div');
  const error = formError();
  const fallback = selectField({
    label: 'When the visitor has not said',
    name: 'default',
    value: settings.default,
    help: 'The state of every non-essential category for a visitor whose consent is unknown.',
    choices: [
      { value: 'denied', label: 'denied (opt-in: recommended in the EU)' },
      { value: 'granted', label: 'granted (opt-out)' },
    ],
  });
  fallback.control.disabled = readOnly;

  const draw = (focusId?: string) => {
    replace(table, mappingTable(rows, readOnly, draw));
    if (focusId) document.getElementById(focusId)?.focus();
  };
  draw();

  const save = h(
    'button',
    { class: 'btn btn-primary', attrs: { type: 'submit' } },
    'Save consent settings',
  );
  const form = h(
    'form',
    { class: 'card', attrs: { novalidate: true, 'aria-label': 'Consent settings' } },
    h('h2', null, 'CMP codes'),
    table,
    fallback.element,
    error,
    readOnly ? null : h('div', { class: 'actions' }, save),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const codes = rows.map((r) => r.code.trim());
    const blank = codes.findIndex((code) => code === '');
    const repeated = codes.find((code, index) => code !== '' && codes.indexOf(code) !== index);
    if (blank >= 0 || repeated) {
      error.textContent =
        blank >= 0 ? `Row ${blank + 1} has no CMP code.` : `${repeated} appears twice.`;
      document
        .getElementById(`consent-code-${blank >= 0 ? blank : codes.indexOf(repeated!)}`)
        ?.focus();
      return;
    }

    void busy(save, async () => {
      try {
        const saved = await api.saveConsent({
          default: fallback.control.value === 'granted' ? 'granted' : 'denied',
          mapping: Object.fromEntries(rows.map((r) => [r.code.trim(), r.category])),
        });
        rows.splice(
          0,
          rows.length,
          ...Object.entries(saved.mapping).map(([code, category]) => ({ code, category })),
        );
        draw();
        toast('Consent settings saved; they apply to the next events.');
      } catch (failure) {
        error.textContent = describeError(failure);
      }
    });
  });
  return form;
}

function mappingTable(
  rows: Row[],
  readOnly: boolean,
  redraw: (focusId?: string) => void,
): HTMLElement {
  const add = h(
    'button',
    { class: 'btn btn-small', attrs: { type: 'button', id: 'consent-add' } },
    '+ Add code',
  );
  add.addEventListener('click', () => {
    rows.push({ code: '', category: 'marketing' });
    redraw(`consent-code-${rows.length - 1}`);
  });

  return h(
    'div',
    null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h('caption', { class: 'visually-hidden' }, 'CMP code to canonical category'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { attrs: { scope: 'col' } }, 'CMP code'),
            h('th', { attrs: { scope: 'col' } }, 'Canonical category'),
            readOnly ? null : h('th', null, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h(
          'tbody',
          null,
          rows.length === 0
            ? h(
                'tr',
                null,
                h(
                  'td',
                  { attrs: { colspan: 3 }, class: 'muted' },
                  'No code mapped: only canonical category names sent by the page count.',
                ),
              )
            : rows.map((row, index) => consentRow(row, index, rows, readOnly, redraw)),
        ),
      ),
    ),
    readOnly ? null : h('div', { class: 'actions' }, add),
  );
}

function consentRow(
  row: Row,
  index: number,
  rows: Row[],
  readOnly: boolean,
  redraw: (focusId?: string) => void,
): HTMLElement {
  const code = h('input', {
    attrs: {
      type: 'text',
      id: `consent-code-${index}`,
      'aria-label': `CMP code, row ${index + 1}`,
      placeholder: 'C0004',
      readonly: readOnly,
      spellcheck: 'false',
    },
    props: { value: row.code },
    on: { input: (event) => (row.code = (event.target as HTMLInputElement).value) },
  });
  const category = h(
    'select',
    {
      attrs: { 'aria-label': `Category for ${row.code || `row ${index + 1}`}`, disabled: readOnly },
      on: { change: (event) => (row.category = (event.target as HTMLSelectElement).value) },
    },
    CONSENT_CATEGORIES.map((c) =>
      h('option', { attrs: { value: c }, props: { selected: c === row.category } }, c),
    ),
  );
  const remove = h(
    'button',
    {
      class: 'btn btn-small btn-danger',
      attrs: { type: 'button', 'aria-label': `Remove ${row.code || `row ${index + 1}`}` },
    },
    'Remove',
  );
  remove.addEventListener('click', () => {
    rows.splice(index, 1);
    redraw('consent-add');
  });

  return h(
    'tr',
    null,
    h('td', null, code),
    h('td', null, category),
    readOnly ? null : h('td', null, remove),
  );
}
