/**
 * Labelled form controls. Each control is tied to its label, help text and error message by id,
 * so a screen reader announces all three and an error can be shown where the problem is.
 */
import { h, uniqueId, type Child } from '../dom.js';

export interface Field<E extends HTMLElement> {
  /** The wrapper to insert in a form. */
  element: HTMLElement;
  control: E;
  /** Shows a message under the control (empty clears it) and marks the control invalid. */
  setError(message: string): void;
}

interface FieldOptions {
  label: string;
  name: string;
  /** A fixed id, for a control focused by id after a redraw; default a unique one. */
  id?: string;
  help?: Child;
  required?: boolean;
}

function wrap<E extends HTMLElement>(
  options: FieldOptions,
  control: E,
  id: string,
  after?: Child,
): Field<E> {
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const error = h('p', { class: 'error', attrs: { id: errorId, role: 'alert' } });
  const describedBy = [options.help ? helpId : '', errorId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);

  const element = h(
    'div',
    { class: 'field' },
    h(
      'label',
      { attrs: { for: id } },
      options.label,
      options.required === false ? h('span', { class: 'optional' }, ' (optional)') : null,
    ),
    control,
    after,
    options.help ? h('p', { class: 'hint', attrs: { id: helpId } }, options.help) : null,
    error,
  );

  return {
    element,
    control,
    setError(message) {
      error.textContent = message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

export function textField(
  options: FieldOptions & {
    type?: 'text' | 'email' | 'password' | 'url' | 'search' | 'number';
    value?: string;
    placeholder?: string;
    autocomplete?: string;
    after?: Child;
  },
): Field<HTMLInputElement> {
  const id = options.id ?? uniqueId(options.name);
  const input = h('input', {
    attrs: {
      id,
      name: options.name,
      type: options.type ?? 'text',
      required: options.required === true,
      placeholder: options.placeholder,
      autocomplete: options.autocomplete ?? 'off',
      spellcheck: 'false',
    },
    props: { value: options.value ?? '' },
  });
  return wrap(options, input, id, options.after);
}

export function selectField(
  options: FieldOptions & { choices: { value: string; label: string }[]; value?: string },
): Field<HTMLSelectElement> {
  const id = options.id ?? uniqueId(options.name);
  const select = h(
    'select',
    { attrs: { id, name: options.name, required: options.required === true } },
    options.choices.map((choice) =>
      h(
        'option',
        { attrs: { value: choice.value }, props: { selected: choice.value === options.value } },
        choice.label,
      ),
    ),
  );
  return wrap(options, select, id);
}

export function textareaField(
  options: FieldOptions & { value?: string; rows?: number },
): Field<HTMLTextAreaElement> {
  const id = options.id ?? uniqueId(options.name);
  const area = h('textarea', {
    attrs: { id, name: options.name, rows: options.rows ?? 4, spellcheck: 'false' },
    props: { value: options.value ?? '' },
  });
  return wrap(options, area, id);
}

/** A checkbox with its label beside it. */
export function checkbox(options: {
  label: Child;
  name: string;
  value?: string;
  checked?: boolean;
  help?: Child;
}): { element: HTMLElement; control: HTMLInputElement } {
  const id = uniqueId(options.name);
  const control = h('input', {
    attrs: { id, type: 'checkbox', name: options.name, value: options.value },
    props: { checked: options.checked === true },
  });
  const element = h(
    'div',
    { class: 'choice' },
    control,
    h(
      'label',
      { attrs: { for: id } },
      options.label,
      options.help ? h('span', { class: 'muted small' }, h('br'), options.help) : null,
    ),
  );
  return { element, control };
}

/** A form-level error line, announced when set. */
export function formError(): HTMLElement {
  return h('p', { class: 'form-error', attrs: { role: 'alert' } });
}

/** Disables a button while `work` runs, so a double click cannot submit twice. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  const hadFocus = document.activeElement === button;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    // A disabled button cannot take focus back (from a closed dialog, say): give it back now,
    // unless the work moved the focus somewhere on purpose.
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (hadFocus && lost && button.isConnected) button.focus();
  }
}
