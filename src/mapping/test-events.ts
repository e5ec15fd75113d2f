/**
 * Builders of plan inputs for the mapping tests (and the presets' tests): a complete envelope
 * with only the fields a test cares about overridden.
 */
import { uniformConsent, type ConsentState } from '../core/consent.js';
import type { SignalEvent } from '../core/envelope.js';
import type { PlanInput } from '../integrations/types.js';

/** A plan input for `event` (merged over a minimal identify) with consent all granted. */
export function planInput(event: Partial<SignalEvent>, consent?: Partial<ConsentState>): PlanInput {
  return {
    event: {
      type: 'identify',
      properties: {},
      traits: {},
      context: {},
      timestamp: '2024-05-01T10:00:00.000Z',
      messageId: 'msg-1',
      receivedAt: '2024-05-01T10:00:00.100Z',
      ...event,
    },
    consent: { ...uniformConsent(true), ...consent },
  };
}
