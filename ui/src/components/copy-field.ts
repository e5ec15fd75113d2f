/**
 * A value to copy (a pipeline key, a new secret) in a read-only input that selects its text on
 * focus, beside its Copy button.
 */
import { h, uniqueId, type Child, type Props } from '../dom.js';
import { copyButton } from './feedback.js';

export interface CopyFieldOptions {
  label: string;
  value: string;
  /** The Copy button's label. */
  copyLabel: string;
  /** Prefix of the input's id. */
  idPrefix: string;
  /** Further attributes of the input (`data-secret`). */
  attrs?: Props['attrs'];
  /** Buttons after the Copy button. */
  actions?: Child;
}

/** The label and the row of the read-only input, its Copy button and `actions`. */
export function copyField(options: CopyFieldOptions): [HTMLLabelElement, HTMLDivElement] {
  const id = uniqueId(options.idPrefix);
  const input = h('input', {
    attrs: { id, type: 'text', readonly: true, spellcheck: 'false', ...options.attrs },
    props: { value: options.value },
    on: { focus: (event) => (event.target as HTMLInputElement).select() },
  });

  return [
    h('label', { attrs: { for: id } }, options.label),
    h(
      'div',
      { class: 'copy-field' },
      input,
      copyButton(options.copyLabel, () => options.value),
      options.actions,
    ),
  ];
}
