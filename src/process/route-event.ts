/**
 * Routes one event to the integrations of its pipeline: the consent gate, then the
 * integration's own plan. A visitor who has just withdrawn a gating category still gets one
 * minimal update (key plus consent attributes, now false), so the CRM stops marketing to them.
 */
import type { ConsentCategory, ConsentState } from '../core/consent.js';
import type { SignalEvent } from '../core/envelope.js';
import type { ActiveIntegration } from '../integrations/active-integrations.js';
import type { PlanResult } from '../integrations/types.js';
import type { Mapping, MappingSet } from '../mapping/types.js';

export type RouteDecision =
  | {
      kind: 'intent';
      profileKey: string;
      attributes: Record<string, unknown>;
      warnings: string[];
      optOut: boolean;
    }
  | { kind: 'drop'; reason: string; warnings: string[] };

export function routeEvent(
  integration: ActiveIntegration,
  event: SignalEvent,
  consent: ConsentState,
  withdrawn: ConsentCategory[],
): RouteDecision {
  const { record, definition, config, mappings } = integration;
  const refused = record.consentCategories.filter(
    (category) => consent[category as ConsentCategory] !== true,
  );

  if (refused.length === 0) {
    return fromPlan(definition.plan({ event, consent }, config, mappings), false);
  }

  const reason = `consent not granted: ${refused.join(', ')}`;
  const justWithdrawn = refused.some((category) => withdrawn.includes(category as ConsentCategory));
  if (!justWithdrawn || !record.delivery.propagateOptOut) {
    return { kind: 'drop', reason, warnings: [] };
  }

  const planned = definition.plan({ event, consent }, config, mappings);
  if (planned.kind === 'drop') return { kind: 'drop', reason, warnings: planned.warnings };

  const kept = optOutTargets(mappings, refused);
  const attributes = Object.fromEntries(
    Object.entries(planned.attributes).filter(([target]) => kept.has(target)),
  );
  if (Object.keys(attributes).length <= 1) {
    // Nothing in the mappings says consent: there is no opt-out to tell the vendor.
    return { kind: 'drop', reason, warnings: planned.warnings };
  }
  return { kind: 'intent', profileKey: planned.profileKey, attributes, warnings: [], optOut: true };
}

function fromPlan(plan: PlanResult, optOut: boolean): RouteDecision {
  return plan.kind === 'drop' ? plan : { ...plan, optOut };
}

/** The key's target and every target fed by one of the refused consent categories. */
function optOutTargets(mappings: MappingSet, refused: string[]): Set<string> {
  const sources = new Set(refused.map((category) => `consent.${category}`));
  const readsConsent = (mapping: Mapping) =>
    (Array.isArray(mapping.source) ? mapping.source : [mapping.source]).some((source) =>
      sources.has(source),
    );

  const all = [
    ...mappings.global,
    ...Object.values(mappings.events).flatMap((e) => e.mappings ?? []),
  ];
  return new Set([mappings.key.target, ...all.filter(readsConsent).map((m) => m.target)]);
}
