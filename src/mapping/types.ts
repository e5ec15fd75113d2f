/**
 * Field mappings are data: presets ship them as JSON and users edit them in the UI. The engine
 * that applies them (`engine.ts`) knows nothing about any vendor.
 */

/** A transform given by name alone, or with its options. */
export type TransformSpec =
  | 'trim'
  | 'lowercase'
  | 'uppercase'
  | 'boolean'
  | 'email'
  | 'language'
  | 'e164'
  | { name: 'e164'; defaultRegion?: string }
  | { name: 'language'; case?: 'lower' | 'upper' }
  | { name: 'value_map'; map: Record<string, unknown>; default?: unknown }
  | { name: 'date_format'; format: 'date' | 'datetime' | 'iso' | 'epoch_ms' };

export interface Mapping {
  /**
   * A dotted path in the mapping document (`traits.email`, `context.locale`, `consent.marketing`),
   * or a list of paths tried in order until one has a value.
   */
  source: string | string[];
  /** The vendor attribute written. */
  target: string;
  transforms?: TransformSpec[];
}

export interface EventMapping {
  /** `map` writes the global mappings plus these; `drop` drops the event with a reason. */
  action: 'map' | 'drop';
  mappings?: Mapping[];
}

export interface MappingSet {
  /** The profile key: an event whose key cannot be produced is dropped with the reason. */
  key: Mapping;
  /** Applied to every event that is not dropped. */
  global: Mapping[];
  /**
   * Per-event mappings, looked up by a track event's name, then by the event type
   * (`page`, `identify`, `group`, `track`).
   */
  events: Record<string, EventMapping>;
  /** What happens to an event that `events` does not list. */
  defaultAction: 'global' | 'drop';
}
