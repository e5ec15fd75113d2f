/**
 * The document that mapping `source` paths read: the event's own fields plus the resolved
 * consent, so that `consent.marketing` means the same thing whatever CMP the site runs.
 */
import type { PlanInput } from '../integrations/types.js';

/** The first segment every source path must start with. */
export const DOCUMENT_ROOTS = [
  'type',
  'event',
  'name',
  'properties',
  'traits',
  'userId',
  'anonymousId',
  'groupId',
  'context',
  'timestamp',
  'messageId',
  'consent',
] as const;

export type MappingDocument = Record<(typeof DOCUMENT_ROOTS)[number], unknown>;

/** Builds the mapping document of one event (its fields as they are, and its consent). */
export function mappingDocument(input: PlanInput): MappingDocument {
  const { event, consent } = input;

  return {
    type: event.type,
    event: event.event,
    name: event.name,
    properties: event.properties,
    traits: event.traits,
    userId: event.userId,
    anonymousId: event.anonymousId,
    groupId: event.groupId,
    context: event.context,
    timestamp: event.timestamp,
    messageId: event.messageId,
    consent,
  };
}

/**
 * Reads a dotted path (`traits.email`, `properties.items.0.sku`). Returns `undefined` when any
 * step is missing. Only own properties are followed, so `traits.constructor` is not a function.
 * A key that itself contains a dot cannot be addressed.
 */
export function readPath(document: MappingDocument, path: string): unknown {
  let current: unknown = document;

  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;

    current = (current as Record<string, unknown>)[segment];
  }

  return current;
}

/** Absent means: nothing to send. `undefined`, `null` and blank strings; `false` and `0` are values. */
export function isAbsent(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
  );
}
