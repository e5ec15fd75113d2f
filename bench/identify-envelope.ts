/**
 * Identify events built directly as stored envelopes, for benchmarks that preload the event log
 * instead of going through the gateway.
 */
import type { SignalEvent } from '../src/core/envelope.js';

/** The identify of visitor `index`: a distinct e-mail, names, and marketing consent granted. */
export function identifyEnvelope(index: number, at: string): SignalEvent {
  return {
    type: 'identify',
    properties: {},
    traits: {
      email: `preload-${index}@example.com`,
      firstName: 'Ada',
      lastName: `Visitor${index}`,
    },
    userId: `preload-${index}`,
    context: { locale: 'en-GB', consent: { categories: { C0004: true } } },
    timestamp: at,
    messageId: `preload-${index}`,
    receivedAt: at,
  };
}
