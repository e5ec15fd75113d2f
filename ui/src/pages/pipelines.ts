/**
 * Pipelines: each source of events with its public key (copy, rotate), the snippet to install
 * datafly.js, and the origins allowed to send from a browser.
 */
import { describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Integration, Pipeline } from '../api/types.js';
import { badge, confirmAction, copyButton, toast } from '../components/feedback.js';
import { busy, formError, textareaField } from '../components/form.js';
import { h, replace, uniqueId } from '../dom.js';
import { pageHeader } from '../layout.js';
import { href, type RouteContext } from '../router.js';
import { isAdmin } from '../session.js';

export async function renderPipelines(main: HTMLElement, context: RouteContext) {
  const [pipelines, integrations] = await Promise.all([
    api.pipelines(context.signal),
    api.integrations(context.signal),
  ]);

  main.append(
    pageHeader('Pipelines', {
      lead: 'Sources of events: each has its own key and allowed origins.',
    }),
    pipelines.data.length === 0
      ? h(
          'p',
          { class: 'empty' },
          'No pipeline yet. Pipelines are declared in the configuration file or through the API.',
        )
      : h(
          'div',
          null,
          pipelines.data.map((pipeline) => pipelineCard(pipeline, integrations.data)),
        ),
  );
}

function pipelineCard(initial: Pipeline, integrations: Integration[]): HTMLElement {
  const card = h('section', { class: 'card' });
  const draw = (pipeline: Pipeline) => {
    const hadFocus = card.contains(document.activeElement);
    replace(card, ...content(pipeline, integrations, draw));
    if (hadFocus) card.querySelector('h2')?.focus();
  };
  draw(initial);
  return card;
}

function content(
  pipeline: Pipeline,
  integrations: Integration[],
  redraw: (pipeline: Pipeline) => void,
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
      pipeline.enabled === false ? badge('disabled') : badge('accepting events', 'ok'),
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
          ? h('span', { class: 'muted' }, 'no integration')
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
    snippetBlock(pipeline),
    originsBlock(pipeline, redraw),
  ];
}

function keyBlock(pipeline: Pipeline, redraw: (pipeline: Pipeline) => void): HTMLElement {
  const id = uniqueId('key');
  const input = h('input', {
    attrs: { id, type: 'text', readonly: true, spellcheck: 'false' },
    props: { value: pipeline.key },
    on: { focus: (event) => (event.target as HTMLInputElement).select() },
  });
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
            'A new key is generated and the current one stops working at once: update the snippet on your site straight away.',
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
    h('label', { attrs: { for: id } }, 'Pipeline key'),
    h(
      'div',
      { class: 'copy-field' },
      input,
      copyButton('Copy key', () => pipeline.key),
      isAdmin() ? rotate : null,
    ),
    h(
      'p',
      { class: 'hint' },
      'Public: it identifies the pipeline in browsers and is safe to publish.',
    ),
  );
}

function snippetBlock(pipeline: Pipeline): HTMLElement {
  const pre = h('pre', { class: 'json' }, 'Loading…');
  let html = '';
  api
    .snippet(pipeline.id)
    .then((snippet) => {
      html = snippet.html;
      pre.textContent = snippet.html;
    })
    .catch((error: unknown) => {
      pre.textContent = describeError(error);
    });

  return h(
    'details',
    null,
    h('summary', null, 'Install snippet'),
    h('p', { class: 'small muted' }, 'Paste into the <head> of every page of your site.'),
    pre,
    copyButton('Copy snippet', () => html),
  );
}

function originsBlock(pipeline: Pipeline, redraw: (pipeline: Pipeline) => void): HTMLElement {
  const field = textareaField({
    label: 'Allowed origins',
    name: 'allowed_origins',
    value: pipeline.allowed_origins.join('\n'),
    rows: Math.max(3, pipeline.allowed_origins.length + 1),
    help: 'One per line, e.g. https://www.example.com. * accepts any site (not advised in production).',
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
    const origins = field.control.value
      .split(/\s+/)
      .map((o) => o.trim())
      .filter(Boolean);
    const bad = origins.find(
      (o) => o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o.replace(/\/$/, '')),
    );
    field.setError(
      bad ? `${bad} is not an origin: write scheme and host, such as https://www.example.com.` : '',
    );
    if (bad) return field.control.focus();

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
