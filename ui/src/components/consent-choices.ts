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
    selected: () => checkedValues(boxes),
  };
}

/** One end of a link between a pipeline and an integration. */
interface LinkEnd {
  id: string;
  name: string;
}

/** Checkboxes for the pipelines whose events reach an integration. */
export function pipelineChoices(legend: string, pipelines: LinkEnd[], checked: string[]): Choices {
  const none = 'No pipeline yet: the integration will receive nothing.';
  return linkChoices(legend, 'pipelines', pipelines, checked, none);
}

/** Checkboxes for the integrations a pipeline delivers to. */
export function integrationChoices(
  legend: string,
  integrations: LinkEnd[],
  checked: string[],
): Choices {
  const none = 'No integration yet: events are collected but not delivered.';
  return linkChoices(legend, 'integrations', integrations, checked, none);
}

/** One checkbox per item, labelled with its name and valued with its id; `none` when empty. */
function linkChoices(
  legend: string,
  name: string,
  items: LinkEnd[],
  checked: string[],
  none: string,
): Choices {
  const boxes = items.map((item) =>
    checkbox({
      label: item.name,
      name,
      value: item.id,
      checked: checked.includes(item.id),
      help: `id ${item.id}`,
    }),
  );
  return {
    element: h(
      'fieldset',
      null,
      h('legend', null, legend),
      boxes.length === 0 ? h('p', { class: 'muted' }, none) : boxes.map((box) => box.element),
    ),
    selected: () => checkedValues(boxes),
  };
}

/** The values of the ticked boxes, in display order. */
function checkedValues(boxes: { control: HTMLInputElement }[]): string[] {
  return boxes.filter((box) => box.control.checked).map((box) => box.control.value);
}
