/**
 * Checkbox groups: the canonical consent categories that gate an integration (every one ticked
 * must be granted for an event to be delivered), and the links between pipelines and
 * integrations, chosen from either side.
 */
import { CONSENT_CATEGORIES } from '../../../src/core/consent.js';
import { h } from '../dom.js';
import { checkbox } from './form.js';

const HELP: Record<string, string> = {
  essential: 'Always granted; gating on it changes nothing.',
  functional: 'Site features the visitor asked for.',
  analytics: 'Measurement and statistics.',
  marketing: 'Marketing e-mail, campaigns and advertising.',
  personalization: 'Personalised content and offers.',
};

export interface Choices {
  element: HTMLElement;
  selected(): string[];
}

export function consentChoices(legend: string, checked: string[], hint?: string): Choices {
  const boxes = CONSENT_CATEGORIES.map((category) =>
    checkbox({
      label: category,
      name: 'consent_categories',
      value: category,
      checked: checked.includes(category),
      help: HELP[category],
    }),
  );
  return {
    element: h(
      'fieldset',
      null,
      h('legend', null, legend),
      hint ? h('p', { class: 'muted small' }, hint) : null,
      boxes.map((box) => box.element),
    ),
    selected: () => boxes.filter((box) => box.control.checked).map((box) => box.control.value),
  };
}

/** Checkboxes for the pipelines whose events reach an integration. */
export function pipelineChoices(
  legend: string,
  pipelines: { id: string; name: string }[],
  checked: string[],
): Choices {
  const boxes = pipelines.map((pipeline) =>
    checkbox({
      label: pipeline.name,
      name: 'pipelines',
      value: pipeline.id,
      checked: checked.includes(pipeline.id),
      help: `id ${pipeline.id}`,
    }),
  );
  return {
    element: h(
      'fieldset',
      null,
      h('legend', null, legend),
      boxes.length === 0
        ? h('p', { class: 'muted' }, 'No pipeline yet: the integration will receive nothing.')
        : boxes.map((box) => box.element),
    ),
    selected: () => boxes.filter((box) => box.control.checked).map((box) => box.control.value),
  };
}

/** Checkboxes for the integrations a pipeline delivers to. */
export function integrationChoices(
  legend: string,
  integrations: { id: string; name: string }[],
  checked: string[],
): Choices {
  const boxes = integrations.map((integration) =>
    checkbox({
      label: integration.name,
      name: 'integrations',
      value: integration.id,
      checked: checked.includes(integration.id),
      help: `id ${integration.id}`,
    }),
  );
  return {
    element: h(
      'fieldset',
      null,
      h('legend', null, legend),
      boxes.length === 0
        ? h('p', { class: 'muted' }, 'No integration yet: events are collected but not delivered.')
        : boxes.map((box) => box.element),
    ),
    selected: () => boxes.filter((box) => box.control.checked).map((box) => box.control.value),
  };
}
