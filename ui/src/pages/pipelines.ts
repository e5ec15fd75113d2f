/**
 * Pipelines: each source of events with its public key, HMAC secret, install snippets and the
 * origins allowed to send from a browser; admins create, disable and re-enable them here.
 */
import { api } from '../api/endpoints.js';
import { pipelineCard } from '../components/pipeline-card.js';
import { pipelineForm } from '../components/pipeline-form.js';
import { toast } from '../components/feedback.js';
import { h } from '../dom.js';
import { pageHeader } from '../layout.js';
import type { RouteContext } from '../router.js';
import { isAdmin } from '../session.js';

export async function renderPipelines(main: HTMLElement, context: RouteContext) {
  const [pipelines, integrations] = await Promise.all([
    api.pipelines(context.signal),
    api.integrations(context.signal),
  ]);

  const list = h(
    'div',
    null,
    pipelines.data.map((pipeline) => pipelineCard(pipeline, integrations.data)),
  );
  const empty = h(
    'p',
    { class: 'empty' },
    isAdmin()
      ? 'No pipeline yet. Create one with New pipeline, or declare it in the configuration file.'
      : 'No pipeline yet. Pipelines are declared in the configuration file or by an admin.',
  );
  empty.hidden = pipelines.data.length > 0;

  const opener = h(
    'button',
    { class: 'btn btn-primary', attrs: { type: 'button' } },
    'New pipeline',
  );
  const form = pipelineForm(integrations.data, {
    onCreated(pipeline) {
      const card = pipelineCard(pipeline, integrations.data);
      list.prepend(card);
      empty.hidden = true;
      close();
      toast(`Pipeline ${pipeline.name} created: install its snippet on your site.`);
      card.querySelector('h2')?.focus();
    },
    onCancel: () => {
      close();
      opener.focus();
    },
  });
  const close = () => {
    form.element.hidden = true;
    opener.setAttribute('aria-expanded', 'false');
  };
  opener.addEventListener('click', () => {
    form.element.hidden = false;
    opener.setAttribute('aria-expanded', 'true');
    form.open();
  });
  close();

  main.append(
    pageHeader('Pipelines', {
      lead: 'Sources of events: each has its own key and allowed origins.',
      ...(isAdmin() ? { actions: [opener] } : {}),
    }),
    form.element,
    empty,
    list,
  );
}
