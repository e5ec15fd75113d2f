/**
 * Reads the body of a profile create-or-update in either of the two shapes Actito accepts:
 * a flat object of attributes (the seed's form), or Actito's native v4 form with up to four
 * sections (`attributes`, `subscriptions`, `segmentations`, `dataCollectionInformation`).
 */
import type { ProfileChanges, Segmentation, Subscription } from './profile-store.js';

export type BodyResult = { ok: true; changes: ProfileChanges } | { ok: false; message: string };

const NATIVE_SECTIONS = new Set([
  'attributes',
  'subscriptions',
  'segmentations',
  'dataCollectionInformation',
]);

/** Turns a parsed JSON body into the changes it asks for, or says why it cannot. */
export function readProfileBody(body: unknown): BodyResult {
  if (!isPlainObject(body)) return fail('the body must be a JSON object');

  // A table could in theory own an attribute called "attributes"; an array there can only be
  // the native format, which is how Actito's own clients send it.
  if (!Array.isArray(body['attributes'])) return { ok: true, changes: { attributes: body } };

  return readNativeBody(body);
}

function readNativeBody(body: Record<string, unknown>): BodyResult {
  for (const key of Object.keys(body)) {
    if (!NATIVE_SECTIONS.has(key)) return fail(`unknown section "${key}" in the profile body`);
  }

  const attributes: Record<string, unknown> = {};
  for (const item of body['attributes'] as unknown[]) {
    if (!isPlainObject(item) || typeof item['name'] !== 'string' || !('value' in item)) {
      return fail('each item of "attributes" must be {"name": string, "value": ...}');
    }
    if (item['name'] in attributes) return fail(`attribute "${item['name']}" is sent twice`);
    attributes[item['name']] = item['value'];
  }

  const changes: ProfileChanges = { attributes };

  if (body['subscriptions'] !== undefined) {
    const subscriptions = readSubscriptions(body['subscriptions']);
    if (subscriptions === undefined) {
      return fail('"subscriptions" must be an array of {"name": string, "subscribe": boolean}');
    }
    changes.subscriptions = subscriptions;
  }

  if (body['segmentations'] !== undefined) {
    const segmentations = readSegmentations(body['segmentations']);
    if (segmentations === undefined) {
      return fail(
        '"segmentations" must be an array of {"belongs": boolean, "segmentation": {"category", "name"}}',
      );
    }
    changes.segmentations = segmentations;
  }

  if (
    body['dataCollectionInformation'] !== undefined &&
    !isPlainObject(body['dataCollectionInformation'])
  ) {
    return fail('"dataCollectionInformation" must be an object');
  }

  return { ok: true, changes };
}

function readSubscriptions(value: unknown): Subscription[] | undefined {
  if (!Array.isArray(value)) return undefined;

  const result: Subscription[] = [];
  for (const item of value) {
    if (!isPlainObject(item)) return undefined;
    const { name, subscribe } = item;
    if (typeof name !== 'string' || typeof subscribe !== 'boolean') return undefined;
    result.push({ name, subscribe });
  }
  return result;
}

function readSegmentations(value: unknown): Segmentation[] | undefined {
  if (!Array.isArray(value)) return undefined;

  const result: Segmentation[] = [];
  for (const item of value) {
    if (!isPlainObject(item) || typeof item['belongs'] !== 'boolean') return undefined;
    const segmentation = item['segmentation'];
    if (!isPlainObject(segmentation)) return undefined;
    const { category, name } = segmentation;
    if (typeof category !== 'string' || typeof name !== 'string') return undefined;
    result.push({ belongs: item['belongs'], segmentation: { category, name } });
  }
  return result;
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): BodyResult {
  return { ok: false, message };
}
