/**
 * Delivery behaviour of an integration when its configuration says nothing: within Actito's
 * licence (5 calls at once, about 100 a minute), unchanged profiles re-sent after a day, and
 * withdrawn consent propagated.
 */
import type { DeliverySettings } from '../store/types.js';

export const DEFAULT_DELIVERY_SETTINGS: Readonly<DeliverySettings> = Object.freeze({
  concurrency: 4,
  callsPerMinute: 100,
  skipUnchanged: true,
  unchangedMaxAgeMs: 24 * 60 * 60 * 1000,
  propagateOptOut: true,
});
