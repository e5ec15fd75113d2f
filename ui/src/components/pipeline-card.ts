/**
 * One pipeline on the Pipelines page: its status with enable/disable, where it delivers, its
 * public key (copy, rotate), its HMAC secret, the install snippets and the allowed origins.
 * Every change redraws the card from the API's answer.
 */
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Integration, Pipeline } from '../api/types.js';
import { h, replace, uniqueId } from '../dom.js';
import { href } from '../router.js';
import { isAdmin } from '../session.js';
import { ORIGINS_HELP, parseOrigins } from './allowed-origins.js';
import { copyField } from './copy-field.js';
import { enableToggle } from './enable-toggle.js';
import { badge, confirmAction, toast } from './feedback.js';
import { busy, formError, textareaField } from './form.js';
import { hmacSecretBlock } from './hmac-secret.js';
import { installSnippet } from './install-snippet.js';

/** Draws the card again, showing `secret` when a rotation has just created it. */
type Redraw = (pipeline: Pipeline, secret?: string) => void;

export function pipelineCard(initial: Pipeline, integrations: Integration[]): HTMLElement {
  const card = h('section', { class: 'card', attrs: { 'data-pipeline': initial.id } });
  const draw: Redraw = (pipeline, secret) => {
    const hadFocus = card.contains(document.activeElement);
    replace(card, ...content(pipeline, integrations, draw, secret));
    card.setAttribute('aria-labelledby', card.querySelector('h2')?.id ?? '');
    // A just-created secret takes focus, so it is announced; otherwise keep focus in the card.
    const focus = secret
      ? card.querySelector<HTMLElement>('[data-secret]')
      : card.querySelector('h2');
    if (hadFocus || secret) focus?.focus();
  };
  draw(initial);
  return card;
}

function content(
  pipeline: Pipeline,
  integrations: Integration[],
  redraw: Redraw,
  secret: string | undefined,
): Node[] {
  const titleId = uniqueId('pipeline');
  const names = pipeline.integrations.map(
    (id) => integrations.find((i) => i.id === id) ?? { id, name: id },
  );

  return [
    h(
      'div',
      { class: 'spread' },
      h('h2', { attrs: { id: titleId, tabindex: '-1' } }, pipeline.name),
      h(
        'div',
        { class: 'row' },
        pipeline.enabled === false ? badge('disabled', 'bad') : badge('accepting events', 'ok'),
        isAdmin() ? enableButton(pipeline, redraw) : null,
      ),
    ),
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, 'Id'),
      h('dd', { class: 'mono' }, pipeline.id),
      h('dt', null, 'Delivers to'),
      h(
        'dd',
        null,
        names.length === 0
          ? h('span', { class: 'muted' }, 'no integration: pick pipelines on an integration')
          : names.map((i, n) => [
              n > 0 ? ', ' : '',
              h(
                'a',
                { attrs: { href: href(`/integrations/${encodeURIComponent(i.id)}`) } },
                i.name,
              ),
            ]),
      ),
    ),
    keyBlock(pipeline, redraw),
    hmacSecretBlock(pipeline, redraw, secret),
    installSnippet(pipeline.id),
    originsBlock(pipeline, redraw),
  ];
}

function enableButton(pipeline: Pipeline, redraw: Redraw): HTMLButtonElement {
  return enableToggle({
    name: pipeline.name,
    enabled: pipeline.enabled !== false,
    disabling: {
      message:
        'Signal refuses events sent with its key (401) until you enable it again, ' +
        'within a few seconds on every node. Events sent meanwhile are not collected.',
      confirm: 'Disable pipeline',
    },
    change: async (enabled) => redraw(await api.setPipelineEnabled(pipeline.id, enabled)),
    small: true,
  });
}

function keyBlock(pipeline: Pipeline, redraw: Redraw): HTMLElement {
  const rotate = h(
    'button',
    { class: 'btn btn-danger btn-small', attrs: { type: 'button' } },
    'Rotate key',
  );
  rotate.addEventListener(
    'click',
    () =>
      void busy(rotate, async () => {
        const sure = await confirmAction({
          title: `Rotate the key of ${pipeline.name}?`,
          message:
            'A new key is generated and the current one stops working at once: ' +
            'update the snippet on your site straight away.',
          confirm: 'Rotate key',
        });
        if (!sure) return;
        try {
          redraw(await api.rotateKey(pipeline.id));
          toast('New key generated; the old one is revoked.');
        } catch (error) {
          toast(describeError(error));
        }
      }),
  );

  return h(
    'div',
    { class: 'field' },
    copyField({
      label: 'Pipeline key',
      value: pipeline.key,
      copyLabel: 'Copy key',
      idPrefix: 'key',
      actions: isAdmin() ? rotate : null,
    }),
    h(
      'p',
      { class: 'hint' },
      'Public: it identifies the pipeline in browsers and is safe to publish.',
    ),
  );
}

function originsBlock(pipeline: Pipeline, redraw: Redraw): HTMLElement {
  const field = textareaField({
    label: 'Allowed origins',
    name: 'allowed_origins',
    value: pipeline.allowed_origins.join('\n'),
    rows: Math.max(3, pipeline.allowed_origins.length + 1),
    help: ORIGINS_HELP,
  });
  field.control.readOnly = !isAdmin();
  const error = formError();
  const save = h('button', { class: 'btn btn-small', attrs: { type: 'submit' } }, 'Save origins');

  const form = h(
    'form',
    { attrs: { novalidate: true } },
    field.element,
    error,
    isAdmin() ? save : null,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const { origins, problem } = parseOrigins(field.control.value);
    field.setError(problem ?? '');
    if (problem) return field.control.focus();

    void busy(save, async () => {
      try {
        redraw(await api.updatePipeline(pipeline.id, { allowed_origins: origins }));
        toast('Allowed origins saved.');
      } catch (failure) {
        error.textContent = describeError(failure);
      }
    });
  });
  return form;
}
