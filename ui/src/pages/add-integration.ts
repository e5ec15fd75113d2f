/**
 * Integrations > Add Integration > <vendor>: choose a preset, enter credentials, select the
 * consent categories and pipelines, Save (which activates the integration). The order follows
 * the vendor's setup guide, one numbered section per step.
 */
import { ApiError, describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { CatalogEntry } from '../api/types.js';
import { configForm } from '../components/config-form.js';
import { consentChoices, pipelineChoices } from '../components/consent-choices.js';
import { toast } from '../components/feedback.js';
import { busy, formError, textField } from '../components/form.js';
import { h } from '../dom.js';
import { pageHeader } from '../layout.js';
import { BASE, navigate, type RouteContext } from '../router.js';

export async function renderAddIntegration(main: HTMLElement, context: RouteContext) {
  const vendor = context.params.vendor ?? '';
  const [catalog, pipelines] = await Promise.all([
    api.catalog(context.signal),
    api.pipelines(context.signal),
  ]);
  const entry = catalog.data.find((e) => e.vendor === vendor);
  const crumbs = [
    { label: 'Integrations', path: '/integrations' },
    { label: 'Add integration', path: '/integrations/new' },
    { label: entry?.name ?? vendor },
  ];

  if (!entry) {
    main.append(
      pageHeader('Unknown integration', { crumbs }),
      h('p', null, 'The Integration Library has no vendor with this name.'),
    );
    return;
  }

  main.append(
    pageHeader(`Add ${entry.name}`, { lead: entry.description, crumbs }),
    addForm(entry, pipelines.data),
  );
}

function addForm(entry: CatalogEntry, pipelines: { id: string; name: string }[]): HTMLElement {
  const presets = presetChoices(entry);
  const name = textField({
    label: 'Name',
    name: 'name',
    value: entry.name,
    required: true,
    help: 'How this integration appears in Signal.',
  });
  const settings = configForm(entry.fields);
  const consent = consentChoices(
    '3. Select consent categories',
    entry.default_consent_categories ?? [],
    'Events are delivered only when the visitor granted every ticked category.',
  );
  const routes = pipelineChoices(
    '4. Pipelines',
    pipelines,
    pipelines.length === 1 ? [pipelines[0]!.id] : [],
  );
  const error = formError();
  const save = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save');

  const form = h(
    'form',
    { attrs: { novalidate: true, 'aria-label': `Add ${entry.name}` } },
    presets.element,
    h(
      'fieldset',
      null,
      h('legend', null, '2. Enter your credentials'),
      name.element,
      settings.element,
    ),
    consent.element,
    routes.element,
    error,
    h(
      'div',
      { class: 'actions' },
      save,
      h('a', { class: 'btn', attrs: { href: `${BASE}/integrations` } }, 'Cancel'),
    ),
    h(
      'p',
      { class: 'muted small' },
      'Saving activates the integration: it starts delivering at once.',
    ),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    name.setError(name.control.value.trim() ? '' : 'Name is required.');
    if (!settings.validate() || !name.control.value.trim()) {
      if (!name.control.value.trim()) name.control.focus();
      return;
    }

    void busy(save, async () => {
      try {
        const created = await api.createIntegration({
          vendor: entry.vendor,
          name: name.control.value.trim(),
          preset: presets.selected(),
          config: settings.read(),
          consent_categories: consent.selected(),
          pipelines: routes.selected(),
          enabled: true,
        });
        toast(`${created.name} saved and active.`);
        navigate(`/integrations/${encodeURIComponent(created.id)}`);
      } catch (failure) {
        const field =
          failure instanceof ApiError ? failure.field?.replace(/^config\./, '') : undefined;
        if (!field || !settings.showError(field, describeError(failure))) {
          error.textContent = describeError(failure);
        }
      }
    });
  });
  return form;
}

function presetChoices(entry: CatalogEntry): { element: HTMLElement; selected(): string } {
  const radios = entry.presets.map((preset, index) => {
    const id = `preset-${preset.id}`;
    const input = h('input', {
      attrs: {
        type: 'radio',
        name: 'preset',
        id,
        value: preset.id,
        'aria-describedby': `${id}-desc`,
      },
      props: {
        checked:
          preset.id === 'default' ||
          (index === 0 && !entry.presets.some((p) => p.id === 'default')),
      },
    });
    return {
      input,
      element: h(
        'label',
        { class: 'choice-card', attrs: { for: id } },
        input,
        h(
          'span',
          null,
          h('strong', null, preset.name),
          h(
            'span',
            { class: 'muted small', attrs: { id: `${id}-desc` } },
            h('br'),
            preset.description,
          ),
        ),
      ),
    };
  });
  return {
    element: h(
      'fieldset',
      null,
      h('legend', null, '1. Choose a preset'),
      radios.map((r) => r.element),
    ),
    selected: () => radios.find((r) => r.input.checked)?.input.value ?? entry.presets[0]?.id ?? '',
  };
}
