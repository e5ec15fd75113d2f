/**
 * The New pipeline form: a name (the id and key are generated), the origins it accepts browser
 * events from, and the integrations it delivers to.
 */
import { ApiError, describeError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Integration, Pipeline } from '../api/types.js';
import { h } from '../dom.js';
import { ORIGINS_HELP, parseOrigins } from './allowed-origins.js';
import { integrationChoices } from './consent-choices.js';
import { busy, formError, textareaField, textField } from './form.js';

export interface PipelineForm {
  element: HTMLElement;
  /** Empties the form and focuses its first field. */
  open(): void;
}

export function pipelineForm(
  integrations: Integration[],
  handlers: { onCreated(pipeline: Pipeline): void; onCancel(): void },
): PipelineForm {
  const name = textField({
    label: 'Name',
    name: 'name',
    required: true,
    help: 'Shown in the UI; the id is made from it, e.g. “Web shop” → web-shop.',
  });
  const origins = textareaField({
    label: 'Allowed origins',
    name: 'allowed_origins',
    rows: 3,
    help: ORIGINS_HELP,
  });
  const targets = integrationChoices('Delivers to', integrations, []);
  const error = formError();
  const create = h(
    'button',
    { class: 'btn btn-primary', attrs: { type: 'submit' } },
    'Create pipeline',
  );
  const cancel = h('button', { class: 'btn', attrs: { type: 'button' } }, 'Cancel');
  cancel.addEventListener('click', handlers.onCancel);

  const form = h(
    'form',
    { class: 'card', attrs: { novalidate: true, 'aria-labelledby': 'new-pipeline-title' } },
    h('h2', { attrs: { id: 'new-pipeline-title' } }, 'New pipeline'),
    name.element,
    origins.element,
    targets.element,
    error,
    h('div', { class: 'actions' }, create, cancel),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const title = name.control.value.trim();
    const parsed = parseOrigins(origins.control.value);
    name.setError(title ? '' : 'Give the pipeline a name.');
    origins.setError(parsed.problem ?? '');
    if (!title) return name.control.focus();
    if (parsed.problem) return origins.control.focus();

    void busy(create, async () => {
      try {
        const body = {
          name: title,
          allowed_origins: parsed.origins,
          integrations: targets.selected(),
        };
        handlers.onCreated(await api.createPipeline(body));
      } catch (failure) {
        showFailure(failure);
      }
    });
  });

  /** A refusal naming a field is shown under it; anything else under the form. */
  const showFailure = (failure: unknown) => {
    const field = failure instanceof ApiError ? failure.field : undefined;
    if (field === 'name') name.setError(describeError(failure));
    else if (field?.startsWith('allowed_origins')) origins.setError(describeError(failure));
    else error.textContent = describeError(failure);
  };

  return {
    element: form,
    open() {
      form.reset();
      name.setError('');
      origins.setError('');
      error.textContent = '';
      name.control.focus();
    },
  };
}
