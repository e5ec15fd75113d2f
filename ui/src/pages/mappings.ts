/**
 * Field Mappings editor: the profile key, the global mappings applied to every event, the
 * per-event mappings, and what happens to unlisted events. Edits stay local until Save, which
 * replaces the integration's mapping set (a new revision). "Edit as JSON" covers transforms with
 * options the table cannot build (value_map).
 */
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Integration, MappingSet } from '../api/types.js';
import { confirmAction, toast } from '../components/feedback.js';
import { busy, formError, selectField, textField } from '../components/form.js';
import { mappingTable } from '../components/mapping-table.js';
import { h, prettyJson, replace } from '../dom.js';
import { pageHeader } from '../layout.js';
import type { RouteContext } from '../router.js';
import { isAdmin } from '../session.js';

export async function renderMappings(main: HTMLElement, context: RouteContext) {
  const id = context.params.id ?? '';
  const [integration, stored] = await Promise.all([
    api.integration(id, context.signal),
    api.mappings(id, context.signal),
  ]);

  const editor = h('div');
  main.append(
    pageHeader('Field Mappings', {
      lead: `${integration.name}: which event fields become which ${integration.vendor} attributes.`,
      crumbs: [
        { label: 'Integrations', path: '/integrations' },
        { label: integration.name, path: `/integrations/${encodeURIComponent(id)}` },
        { label: 'Field Mappings' },
      ],
    }),
    editor,
  );
  mappingEditor(editor, integration, stored);
}

function mappingEditor(root: HTMLElement, integration: Integration, stored: MappingSet): void {
  let saved = stored;
  let draft: MappingSet = structuredClone(saved);
  let jsonMode = false;
  const readOnly = !isAdmin();
  const error = formError();

  const draw = (focusId?: string) => {
    replace(root, jsonMode ? jsonEditor() : tables(), error, actions());
    if (focusId) document.getElementById(focusId)?.focus();
  };

  const tables = (): HTMLElement =>
    h(
      'div',
      null,
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'key-title' } },
        h('h2', { attrs: { id: 'key-title' } }, 'Profile key'),
        h(
          'p',
          { class: 'muted small' },
          'Identifies the profile to create or update. An event without it is dropped with the reason.',
        ),
        mappingTable([draft.key], 'key', {
          caption: 'Profile key',
          fixed: true,
          readOnly,
          changed: draw,
        }),
      ),
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'global-title' } },
        h('h2', { attrs: { id: 'global-title' } }, 'Every event'),
        h('p', { class: 'muted small' }, 'Written on every event that is not dropped.'),
        mappingTable(draft.global, 'global', {
          caption: 'Global mappings',
          readOnly,
          changed: draw,
        }),
      ),
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'events-title' } },
        h('h2', { attrs: { id: 'events-title' } }, 'Per event'),
        h(
          'p',
          { class: 'muted small' },
          'Looked up by a track event’s name, then by the event type (page, identify, group, track).',
        ),
        Object.entries(draft.events).map(([name, mapping], index) =>
          eventSection(name, mapping, index),
        ),
        readOnly ? null : addEvent(),
        defaultAction(),
      ),
    );

  const eventSection = (name: string, mapping: MappingSet['events'][string], index: number) => {
    mapping.mappings ??= [];
    const action = selectField({
      label: `When “${name}” arrives`,
      name: `action-${index}`,
      id: `event-action-${index}`,
      value: mapping.action,
      choices: [
        { value: 'map', label: 'write the global mappings plus these' },
        { value: 'drop', label: 'drop the event' },
      ],
    });
    action.control.disabled = readOnly;
    action.control.addEventListener('change', () => {
      mapping.action = action.control.value === 'drop' ? 'drop' : 'map';
      draw(`event-action-${index}`);
    });
    const remove = h(
      'button',
      {
        class: 'btn btn-small btn-danger',
        attrs: { type: 'button', 'aria-label': `Remove the mappings of ${name}` },
      },
      'Remove event',
    );
    remove.addEventListener('click', () => {
      delete draft.events[name];
      draw('new-event-name');
    });

    return h(
      'div',
      { class: 'stage-block' },
      h('div', { class: 'spread' }, h('h3', null, name), readOnly ? null : remove),
      action.element,
      mapping.action === 'map'
        ? mappingTable(mapping.mappings, `event-${index}`, {
            caption: `Mappings of ${name}`,
            readOnly,
            changed: draw,
          })
        : null,
    );
  };

  const addEvent = () => {
    const field = textField({
      label: 'Add mappings for an event',
      name: 'new-event',
      id: 'new-event-name',
      placeholder: 'Order Completed',
      help: 'A track event name, or page, identify, group, track.',
    });
    const add = h('button', { class: 'btn btn-small', attrs: { type: 'button' } }, 'Add event');
    add.addEventListener('click', () => {
      const name = field.control.value.trim();
      if (!name) return field.setError('Enter an event name.');
      if (draft.events[name]) return field.setError(`${name} already has mappings.`);
      draft.events[name] = { action: 'map', mappings: [] };
      draw(`event-${Object.keys(draft.events).length - 1}-add`);
    });
    return h('div', { class: 'row' }, field.element, add);
  };

  const defaultAction = () => {
    const select = selectField({
      label: 'Events not listed above',
      name: 'default-action',
      value: draft.defaultAction,
      choices: [
        { value: 'global', label: 'write the global mappings (refresh the profile)' },
        { value: 'drop', label: 'drop them' },
      ],
    });
    select.control.disabled = readOnly;
    select.control.addEventListener('change', () => {
      draft.defaultAction = select.control.value === 'drop' ? 'drop' : 'global';
    });
    return select.element;
  };

  const jsonEditor = () => {
    const area = h('textarea', {
      attrs: {
        id: 'mappings-json',
        rows: 24,
        spellcheck: 'false',
        'aria-label': 'Mapping set as JSON',
        readonly: readOnly,
      },
      props: { value: prettyJson(draft) },
    });
    area.addEventListener('input', () => {
      try {
        draft = JSON.parse(area.value) as MappingSet;
        error.textContent = '';
      } catch {
        error.textContent = 'This is not valid JSON yet.';
      }
    });
    return h('section', { class: 'card' }, h('h2', null, 'Mapping set (JSON)'), area);
  };

  const actions = () => {
    const save = h(
      'button',
      { class: 'btn btn-primary', attrs: { type: 'button' } },
      'Save mappings',
    );
    save.addEventListener(
      'click',
      () =>
        void busy(save, async () => {
          error.textContent = '';
          try {
            saved = await api.saveMappings(integration.id, draft);
            draft = structuredClone(saved);
            toast('Mappings saved; they apply to the next events.');
            draw();
          } catch (failure) {
            error.textContent = `Not saved: ${describeError(failure)}`;
          }
        }),
    );
    const toggle = h(
      'button',
      { class: 'btn', attrs: { type: 'button', id: 'json-toggle' } },
      jsonMode ? 'Edit as table' : 'Edit as JSON',
    );
    toggle.addEventListener('click', () => {
      jsonMode = !jsonMode;
      draw('json-toggle');
    });
    const discard = h('button', { class: 'btn', attrs: { type: 'button' } }, 'Discard changes');
    discard.addEventListener('click', () => {
      draft = structuredClone(saved);
      error.textContent = '';
      draw();
    });
    const reset = h(
      'button',
      { class: 'btn btn-danger', attrs: { type: 'button' } },
      'Reset to preset',
    );
    reset.addEventListener(
      'click',
      () =>
        void busy(reset, async () => {
          const sure = await confirmAction({
            title: 'Reset to the preset’s mappings?',
            message:
              `Your custom mappings are replaced by the ${integration.preset} preset’s. ` +
              'The revision history keeps them.',
            confirm: 'Reset',
          });
          if (!sure) return;
          try {
            await api.updateIntegration(integration.id, { mappings: null });
            saved = await api.mappings(integration.id);
            draft = structuredClone(saved);
            toast('Mappings reset to the preset.');
            draw();
          } catch (failure) {
            error.textContent = describeError(failure);
          }
        }),
    );
    if (readOnly) return h('div', { class: 'actions' }, toggle);
    return h(
      'div',
      { class: 'actions' },
      save,
      toggle,
      discard,
      integration.mappings_customised ? reset : null,
    );
  };

  draw();
}
