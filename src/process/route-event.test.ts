import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniformConsent, type ConsentState } from '../core/consent.js';
import type { SignalEvent } from '../core/envelope.js';
import { DEFAULT_DELIVERY_SETTINGS } from '../deliver/delivery-defaults.js';
import type { ActiveIntegration } from '../integrations/active-integrations.js';
import { createActitoIntegration } from '../integrations/actito/index.js';
import type { MappingSet } from '../mapping/types.js';
import type { DeliverySettings } from '../store/types.js';
import { routeEvent } from './route-event.js';

const definition = createActitoIntegration();
const presetMappings = definition.catalog.presets.find((p) => p.id === 'default')!.mappings;

function actito(
  options: {
    consentCategories?: string[];
    delivery?: Partial<DeliverySettings>;
    mappings?: MappingSet;
  } = {},
): ActiveIntegration {
  const config = {
    entity: 'demo',
    profile_table: 'Profiles',
    api_key: 'sandbox-key',
    api_host: 'http://127.0.0.1:7070',
  };
  return {
    record: {
      id: 'actito',
      vendor: 'actito',
      name: 'Actito',
      presetId: 'default',
      config,
      consentCategories: options.consentCategories ?? ['marketing'],
      enabled: true,
      delivery: { ...DEFAULT_DELIVERY_SETTINGS, ...options.delivery },
    },
    definition,
    config: definition.parseConfig(config),
    mappings: options.mappings ?? presetMappings,
  };
}

function identify(traits: Record<string, unknown>): SignalEvent {
  return {
    type: 'identify',
    properties: {},
    traits,
    userId: 'u-1',
    anonymousId: 'a-1',
    context: { locale: 'fr-BE' },
    timestamp: '2025-01-01T10:00:00.000Z',
    messageId: 'm-1',
    receivedAt: '2025-01-01T10:00:00.100Z',
  };
}

const ADA = { email: ' Ada@Example.com', first_name: 'Ada', phone: '+32 470 12 34 56' };
const GRANTED = uniformConsent(true);
const WITHDRAWN: ConsentState = { ...GRANTED, marketing: false };

describe('routeEvent', () => {
  it('plans the whole profile when every gating category is granted', () => {
    const decision = routeEvent(actito(), identify(ADA), GRANTED, []);

    assert.deepEqual(decision, {
      kind: 'intent',
      profileKey: 'ada@example.com',
      attributes: {
        email: 'ada@example.com',
        firstName: 'Ada',
        phone: '+32470123456',
        language: 'fr',
        marketingConsent: true,
      },
      warnings: [],
      optOut: false,
    });
  });

  it('drops an event whose gating category is refused and was not just withdrawn', () => {
    const decision = routeEvent(actito(), identify(ADA), WITHDRAWN, []);

    assert.deepEqual(decision, {
      kind: 'drop',
      reason: 'consent not granted: marketing',
      warnings: [],
    });
  });

  it('names every refused gating category in the drop reason', () => {
    const integration = actito({ consentCategories: ['analytics', 'marketing'] });

    const decision = routeEvent(integration, identify(ADA), uniformConsent(false), []);

    assert.equal(decision.kind, 'drop');
    assert.equal(
      decision.kind === 'drop' && decision.reason,
      'consent not granted: analytics, marketing',
    );
  });

  it('sends only the key and the consent attribute when a gating category was just withdrawn', () => {
    const decision = routeEvent(actito(), identify(ADA), WITHDRAWN, ['marketing']);

    assert.deepEqual(decision, {
      kind: 'intent',
      profileKey: 'ada@example.com',
      attributes: { email: 'ada@example.com', marketingConsent: false },
      warnings: [],
      optOut: true,
    });
  });

  it('drops instead of opting out when propagateOptOut is off', () => {
    const integration = actito({ delivery: { propagateOptOut: false } });

    const decision = routeEvent(integration, identify(ADA), WITHDRAWN, ['marketing']);

    assert.deepEqual(decision, {
      kind: 'drop',
      reason: 'consent not granted: marketing',
      warnings: [],
    });
  });

  it('drops a withdrawal it cannot key, with the consent reason', () => {
    const decision = routeEvent(actito(), identify({ first_name: 'Ada' }), WITHDRAWN, [
      'marketing',
    ]);

    assert.equal(decision.kind, 'drop');
    assert.equal(decision.kind === 'drop' && decision.reason, 'consent not granted: marketing');
  });

  it('drops a withdrawal when no mapping carries consent to the vendor', () => {
    const mappings: MappingSet = {
      ...presetMappings,
      global: presetMappings.global.filter((m) => m.source !== 'consent.marketing'),
    };

    const decision = routeEvent(actito({ mappings }), identify(ADA), WITHDRAWN, ['marketing']);

    assert.deepEqual(decision, {
      kind: 'drop',
      reason: 'consent not granted: marketing',
      warnings: [],
    });
  });

  it('does not opt out when only a category the integration does not gate on was withdrawn', () => {
    const consent = { ...WITHDRAWN, analytics: false };

    const decision = routeEvent(actito(), identify(ADA), consent, ['analytics']);

    assert.equal(decision.kind, 'drop');
  });

  it('passes the plan through for an integration with no gating category', () => {
    const integration = actito({ consentCategories: [] });

    const decision = routeEvent(integration, identify(ADA), uniformConsent(false), []);

    assert.equal(decision.kind, 'intent');
    assert.equal(decision.kind === 'intent' && decision.attributes.marketingConsent, false);
  });
});
