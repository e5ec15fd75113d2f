/**
 * One integration: its health, a Test connection button, its settings (credentials, consent,
 * pipelines), recent deliveries and revisions, and enable/disable.
 */
import { ApiError, describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { CatalogEntry, Integration, Pipeline } from '../api/types.js';
import { configForm } from '../components/config-form.js';
import { consentChoices, pipelineChoices } from '../components/consent-choices.js';
import { deliveryList } from '../components/delivery-list.js';
import { enableToggle } from '../components/enable-toggle.js';
import { badge, toast } from '../components/feedback.js';
import { busy, formError, textField } from '../components/form.js';
import { revisionList } from '../components/revision-list.js';
import { h, replace } from '../dom.js';
import { pageHeader } from '../layout.js';
import { href, type RouteContext } from '../router.js';
import { isAdmin } from '../session.js';
import { lastDelivery, queueText, statusBadge } from './integrations.js';

export async function renderIntegration(main: HTMLElement, context: RouteContext) {
  const id = context.params.id ?? '';

  const draw = async () => {
    const [integration, catalog, pipelines] = await Promise.all([
      api.integration(id, context.signal),
      api.catalog(context.signal),
      api.pipelines(context.signal),
    ]);
    const entry = catalog.data.find((e) => e.vendor === integration.vendor);
    const hadFocus = main.contains(document.activeElement);
    replace(main, ...page(integration, entry, pipelines.data, () => void draw()));
    // Redrawing removes the focused control; put focus somewhere sensible instead of <body>.
    if (hadFocus && !main.contains(document.activeElement)) main.querySelector('h1')?.focus();
  };
  await draw();
}

function page(
  integration: Integration,
  entry: CatalogEntry | undefined,
  pipelines: Pipeline[],
  redraw: () => void,
): Node[] {
  const encoded = encodeURIComponent(integration.id);
  const toggle = enableToggle({
    name: integration.name,
    enabled: integration.enabled,
    disabling: {
      message:
        'Its events are dropped, not queued, until you enable it again; ' +
        'deliveries already queued wait.',
      confirm: `Disable ${integration.name}`,
    },
    change: async (enabled) => {
      await api.setIntegrationEnabled(integration.id, enabled);
      redraw();
    },
  });

  const actions = [
    h(
      'a',
      { class: 'btn', attrs: { href: href(`/integrations/${encoded}/mappings`) } },
      'Field mappings',
    ),
    h(
      'a',
      { class: 'btn', attrs: { href: href(`/debugger?integration=${encoded}`) } },
      'Event Debugger',
    ),
    ...(isAdmin() ? [toggle] : []),
  ];

  return [
    pageHeader(integration.name, {
      lead: `${entry?.name ?? integration.vendor} · preset ${integration.preset}`,
      actions,
      crumbs: [{ label: 'Integrations', path: '/integrations' }, { label: integration.name }],
    }),
    integration.problem
      ? h('p', { class: 'notice notice-bad', attrs: { role: 'alert' } }, integration.problem)
      : null,
    healthCard(integration),
    isAdmin() ? connectionCard(integration) : null,
    entry ? settingsCard(integration, entry, pipelines, redraw) : null,
    deliveryList(integration.id),
    revisionList(integration.id, redraw),
  ].filter((node): node is HTMLElement => node !== null);
}

function healthCard(integration: Integration): HTMLElement {
  const health = integration.health;
  const deadLetters = health?.dead_letters ?? 0;
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'health-title' } },
    h('h2', { attrs: { id: 'health-title' } }, 'Health'),
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, 'Status'),
      h('dd', null, statusBadge(integration)),
      h('dt', null, 'Queue'),
      h('dd', null, queueText(health)),
      h('dt', null, 'Dead letters'),
      h(
        'dd',
        null,
        deadLetters > 0
          ? h(
              'a',
              {
                attrs: {
                  href: href(`/dead-letters?integration=${encodeURIComponent(integration.id)}`),
                },
              },
              badge(String(deadLetters), 'bad'),
            )
          : '0',
      ),
      h('dt', null, 'Last delivery'),
      h('dd', null, lastDelivery(health)),
      h('dt', null, 'Last hour'),
      h(
        'dd',
        null,
        health ? `${health.last_hour.delivered} delivered, ${health.last_hour.failed} failed` : '—',
      ),
    ),
  );
}

function connectionCard(integration: Integration): HTMLElement {
  const result = h('div', { attrs: { role: 'status', 'aria-live': 'polite' } });
  const button = h('button', { class: 'btn', attrs: { type: 'button' } }, 'Test connection');

  button.addEventListener(
    'click',
    () =>
      void busy(button, async () => {
        replace(result, h('p', { class: 'muted' }, 'Testing…'));
        try {
          const check = await api.testConnection(integration.id);
          replace(
            result,
            h(
              'div',
              { class: check.ok ? 'notice notice-ok' : 'notice notice-bad' },
              h('strong', null, check.ok ? 'Connection OK. ' : 'Connection failed. '),
              check.message,
              check.hint
                ? h('p', { class: 'small' }, h('strong', null, 'Hint: '), check.hint)
                : null,
            ),
          );
        } catch (error) {
          replace(result, h('p', { class: 'notice notice-bad' }, describeError(error)));
        }
      }),
  );

  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'connection-title' } },
    h('h2', { attrs: { id: 'connection-title' } }, 'Connection'),
    h(
      'p',
      { class: 'muted' },
      'Checks the credentials and the entity and table names with the saved settings.',
    ),
    button,
    result,
  );
}

function settingsCard(
  integration: Integration,
  entry: CatalogEntry,
  pipelines: Pipeline[],
  redraw: () => void,
): HTMLElement {
  const name = textField({ label: 'Name', name: 'name', value: integration.name, required: true });
  const settings = configForm(entry.fields, integration.config);
  const consent = consentChoices('Consent categories', integration.consent_categories);
  const routes = pipelineChoices('Pipelines', pipelines, integration.pipelines ?? []);
  const error = formError();
  const save = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save changes');

  const form = h(
    'form',
    { attrs: { novalidate: true, 'aria-labelledby': 'settings-title' } },
    h('h2', { attrs: { id: 'settings-title' } }, 'Settings'),
    name.element,
    settings.element,
    consent.element,
    routes.element,
    error,
    isAdmin() ? h('div', { class: 'actions' }, save) : null,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!settings.validate()) return;

    void busy(save, async () => {
      try {
        await api.updateIntegration(integration.id, {
          name: name.control.value.trim(),
          config: settings.read(),
          consent_categories: consent.selected(),
          pipelines: routes.selected(),
        });
        toast('Settings saved; they apply at once.');
        redraw();
      } catch (failure) {
        const field =
          failure instanceof ApiError ? failure.field?.replace(/^config\./, '') : undefined;
        if (!field || !settings.showError(field, describeError(failure))) {
          error.textContent = describeError(failure);
        }
      }
    });
  });

  return h('section', { class: 'card' }, form);
}
