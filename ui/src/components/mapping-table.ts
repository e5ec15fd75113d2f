/**
 * An editable table of field mappings (source → target, with transforms). It edits the given
 * `Mapping[]` in place; `changed` is called after a structural change (a row or transform added
 * or removed) so the editor can redraw.
 */
import type { Mapping, TransformSpec } from '../api/types.js';
import { h } from '../dom.js';

/** Transforms that need no options, offered in the "add transform" list. */
const SIMPLE_TRANSFORMS: { value: string; label: string; spec: TransformSpec }[] = [
  { value: 'trim', label: 'trim', spec: 'trim' },
  { value: 'lowercase', label: 'lowercase', spec: 'lowercase' },
  { value: 'uppercase', label: 'uppercase', spec: 'uppercase' },
  { value: 'email', label: 'email (validate)', spec: 'email' },
  { value: 'e164', label: 'e164 (phone)', spec: 'e164' },
  { value: 'language', label: 'language (ISO 639-1)', spec: 'language' },
  { value: 'boolean', label: 'boolean', spec: 'boolean' },
  { value: 'date', label: 'date_format: date', spec: { name: 'date_format', format: 'date' } },
  {
    value: 'datetime',
    label: 'date_format: datetime',
    spec: { name: 'date_format', format: 'datetime' },
  },
  { value: 'iso', label: 'date_format: iso', spec: { name: 'date_format', format: 'iso' } },
];

export interface MappingTableOptions {
  caption: string;
  /** The key mapping is a single row that cannot be removed. */
  fixed?: boolean;
  readOnly?: boolean;
  changed: (focus?: string) => void;
}

export function sourceText(mapping: Mapping): string {
  return Array.isArray(mapping.source) ? mapping.source.join(', ') : mapping.source;
}

/** "a, b" → ["a", "b"]; a single path stays a string, as presets write it. */
export function parseSource(text: string): string | string[] {
  const paths = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return paths.length === 1 ? paths[0]! : paths;
}

export function transformLabel(spec: TransformSpec): string {
  if (typeof spec === 'string') return spec;
  const options = Object.entries(spec)
    .filter(([key]) => key !== 'name')
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    );
  return options.length > 0 ? `${spec.name} (${options.join(', ')})` : spec.name;
}

export function mappingTable(
  mappings: Mapping[],
  idPrefix: string,
  options: MappingTableOptions,
): HTMLElement {
  const rows = mappings.map((mapping, index) => row(mapping, index, mappings, idPrefix, options));
  const add =
    options.fixed || options.readOnly
      ? null
      : h(
          'button',
          {
            class: 'btn btn-small',
            attrs: { type: 'button', id: `${idPrefix}-add` },
            on: {
              click: () => {
                mappings.push({ source: '', target: '', transforms: [] });
                options.changed(`${idPrefix}-${mappings.length - 1}-source`);
              },
            },
          },
          '+ Add mapping',
        );

  return h(
    'div',
    null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'mapping-table' },
        h('caption', { class: 'visually-hidden' }, options.caption),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { attrs: { scope: 'col' } }, 'Source'),
            h('th', { attrs: { scope: 'col' } }, 'Target attribute'),
            h('th', { attrs: { scope: 'col' } }, 'Transforms'),
            options.fixed || options.readOnly
              ? null
              : h('th', null, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h(
          'tbody',
          null,
          rows.length > 0
            ? rows
            : h(
                'tr',
                null,
                h(
                  'td',
                  { attrs: { colspan: 4 }, class: 'muted' },
                  'No mapping: only the global mappings apply.',
                ),
              ),
        ),
      ),
    ),
    add ? h('div', { class: 'actions' }, add) : null,
  );
}

function row(
  mapping: Mapping,
  index: number,
  all: Mapping[],
  idPrefix: string,
  options: MappingTableOptions,
): HTMLElement {
  const id = `${idPrefix}-${index}`;
  const describe = sourceText(mapping) || `row ${index + 1}`;
  const source = h('input', {
    attrs: {
      type: 'text',
      id: `${id}-source`,
      'aria-label': `Source of ${options.caption}, row ${index + 1}`,
      placeholder: 'traits.email',
      spellcheck: 'false',
      readonly: options.readOnly,
    },
    props: { value: sourceText(mapping) },
    on: {
      input: (event) => (mapping.source = parseSource((event.target as HTMLInputElement).value)),
    },
  });
  const target = h('input', {
    attrs: {
      type: 'text',
      id: `${id}-target`,
      'aria-label': `Target for ${describe}`,
      placeholder: 'attribute',
      spellcheck: 'false',
      readonly: options.readOnly,
    },
    props: { value: mapping.target },
    on: { input: (event) => (mapping.target = (event.target as HTMLInputElement).value.trim()) },
  });

  const remove =
    options.fixed || options.readOnly
      ? null
      : h(
          'td',
          null,
          h(
            'button',
            {
              class: 'btn btn-small btn-danger',
              attrs: {
                type: 'button',
                'aria-label': `Remove mapping ${describe} → ${mapping.target || '?'}`,
              },
              on: {
                click: () => {
                  all.splice(index, 1);
                  options.changed(`${idPrefix}-add`);
                },
              },
            },
            'Remove',
          ),
        );

  return h(
    'tr',
    null,
    h('td', null, source),
    h('td', null, target),
    h('td', null, transforms(mapping, id, describe, options)),
    remove,
  );
}

function transforms(
  mapping: Mapping,
  id: string,
  describe: string,
  options: MappingTableOptions,
): HTMLElement {
  const list = mapping.transforms ?? [];
  const chips = list.map((spec, index) =>
    options.readOnly
      ? h('span', { class: 'badge' }, transformLabel(spec))
      : h(
          'button',
          {
            class: 'badge',
            attrs: {
              type: 'button',
              id: `${id}-t${index}`,
              'aria-label': `Remove transform ${transformLabel(spec)} from ${describe}`,
              title: 'Remove this transform',
            },
            on: {
              click: () => {
                list.splice(index, 1);
                mapping.transforms = list;
                options.changed(`${id}-add-transform`);
              },
            },
          },
          `${transformLabel(spec)} ×`,
        ),
  );

  const adder = options.readOnly
    ? null
    : h(
        'select',
        {
          attrs: { id: `${id}-add-transform`, 'aria-label': `Add a transform to ${describe}` },
          on: {
            change: (event) => {
              const choice = SIMPLE_TRANSFORMS.find(
                (t) => t.value === (event.target as HTMLSelectElement).value,
              );
              if (!choice) return;
              mapping.transforms = [...list, choice.spec];
              options.changed(`${id}-add-transform`);
            },
          },
        },
        h('option', { attrs: { value: '' } }, '+ transform'),
        SIMPLE_TRANSFORMS.map((t) => h('option', { attrs: { value: t.value } }, t.label)),
      );

  return h('div', { class: 'row' }, chips, adder);
}
