/**
 * The settings of an integration, drawn from its catalog fields: text, password (secrets), select,
 * checkbox and URL (a list of known hosts plus "Other"). Fields that have a default sit under
 * "Advanced settings": leaving them alone is right for most people.
 *
 * Secrets are write-only: when editing, a stored secret shows as "saved" and an empty password
 * box keeps it.
 */
import type { ConfigField, ConfigValue } from '../api/types.js';
import { h } from '../dom.js';
import { checkbox, selectField, textField, type Field } from './form.js';

const OTHER = '__other__';

export interface ConfigForm {
  element: HTMLElement;
  /** The values to send: empty optional fields omitted (or null when editing, to clear them). */
  read(): Record<string, unknown>;
  /** Checks required fields; returns false and shows messages when one is missing. */
  validate(): boolean;
  /** Shows a server message on the field it names; false when no such field is shown. */
  showError(field: string, message: string): boolean;
}

interface Control {
  field: ConfigField;
  value(): string | boolean;
  setError(message: string): void;
  focus(): void;
}

export function configForm(
  fields: ConfigField[],
  stored?: Record<string, ConfigValue>,
): ConfigForm {
  const editing = stored !== undefined;
  const controls = fields.map((field) => control(field, stored?.[field.key]));
  const isAdvanced = (field: ConfigField) => field.advanced === true || field.default !== undefined;
  const main = controls.filter((c) => !isAdvanced(c.field));
  const advanced = controls.filter((c) => isAdvanced(c.field));

  const element = h(
    'div',
    null,
    main.map((c) => c.element),
    advanced.length > 0
      ? h(
          'details',
          { class: 'advanced' },
          h('summary', null, 'Advanced settings'),
          advanced.map((c) => c.element),
        )
      : null,
  );

  return {
    element,
    read() {
      const values: Record<string, unknown> = {};
      for (const { field, value } of controls) {
        const current = value();
        if (typeof current === 'boolean') values[field.key] = current;
        else if (current.trim() !== '') values[field.key] = current.trim();
        else if (editing && field.type !== 'secret') values[field.key] = null;
      }
      return values;
    },
    validate() {
      let firstBad: Control | undefined;
      for (const c of controls) {
        const secretKept = editing && c.field.type === 'secret' && isSet(stored?.[c.field.key]);
        const missing = c.field.required && !secretKept && String(c.value()).trim() === '';
        c.setError(missing ? `${c.field.label} is required.` : '');
        if (missing) firstBad ??= c;
      }
      firstBad?.focus();
      return firstBad === undefined;
    },
    showError(key, message) {
      const found = controls.find((c) => c.field.key === key);
      if (!found) return false;
      found.setError(message);
      found.focus();
      return true;
    },
  };
}

function isSet(value: ConfigValue | undefined): boolean {
  return typeof value === 'object' && value !== null && value.set === true;
}

function control(
  field: ConfigField,
  stored: ConfigValue | undefined,
): Control & { element: HTMLElement } {
  const initial = typeof stored === 'object' ? undefined : (stored ?? field.default);
  // A field with a default is never empty, so it is neither marked required nor "(optional)".
  const required = field.required ? true : field.default === undefined ? false : undefined;
  const common = { label: field.label, name: field.key, help: field.help, required };

  if (field.type === 'boolean') {
    const box = checkbox({
      label: field.label,
      name: field.key,
      checked: initial === true,
      help: field.help,
    });
    return {
      field,
      element: h('div', { class: 'field' }, box.element),
      value: () => box.control.checked,
      setError: () => {},
      focus: () => box.control.focus(),
    };
  }

  if (field.type === 'secret') {
    const saved = isSet(stored);
    const input = textField({
      ...common,
      type: 'password',
      autocomplete: 'new-password',
      placeholder: saved ? 'Saved; leave blank to keep it' : undefined,
      help: saved ? [field.help, ' A value is saved; it is never shown again.'] : field.help,
    });
    return { ...fieldControl(field, input), value: () => input.control.value };
  }

  if (field.options && field.options.length > 0) return choiceControl(field, common, initial);

  const input = textField({
    ...common,
    type: field.type === 'url' ? 'url' : 'text',
    value: initial === undefined ? '' : String(initial),
  });
  return { ...fieldControl(field, input), value: () => input.control.value };
}

/** A select of the field's options; a URL field also offers "Other" with a free text box. */
function choiceControl(
  field: ConfigField,
  common: { label: string; name: string; help: string; required: boolean | undefined },
  initial: string | boolean | number | undefined,
): Control & { element: HTMLElement } {
  const options = field.options ?? [];
  const text = initial === undefined ? '' : String(initial);
  const known = options.some((o) => o.value === text);
  const allowOther = field.type === 'url';
  const choices = [
    ...(field.required || field.default !== undefined ? [] : [{ value: '', label: '(none)' }]),
    ...options,
    ...(allowOther ? [{ value: OTHER, label: 'Other (enter a URL)…' }] : []),
  ];
  const select = selectField({
    ...common,
    choices,
    value: known || !allowOther || text === '' ? text : OTHER,
  });
  if (!allowOther) return { ...fieldControl(field, select), value: () => select.control.value };

  const other = textField({
    label: `${field.label}: other URL`,
    name: `${field.key}_other`,
    type: 'url',
    value: known ? '' : text,
    placeholder: 'https://',
  });
  const sync = () => {
    other.element.hidden = select.control.value !== OTHER;
  };
  select.control.addEventListener('change', sync);
  sync();

  return {
    field,
    element: h('div', null, select.element, other.element),
    value: () => (select.control.value === OTHER ? other.control.value : select.control.value),
    setError(message) {
      (select.control.value === OTHER ? other : select).setError(message);
    },
    focus: () => (select.control.value === OTHER ? other.control : select.control).focus(),
  };
}

function fieldControl<E extends HTMLElement>(
  field: ConfigField,
  input: Field<E>,
): Omit<Control, 'value'> & { element: HTMLElement } {
  return {
    field,
    element: input.element,
    setError: input.setError,
    focus: () => input.control.focus(),
  };
}
