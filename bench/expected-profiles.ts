/**
 * What the Actito profile of each visitor must hold once a trace has been delivered, worked out
 * from the trace alone with the Default preset's rules as the specification states them (not
 * with Signal's code, which is what is being checked):
 *
 * - identify merges its traits into the visitor's traits; the key is the e-mail, trimmed and
 *   lower-cased; no e-mail yet, nothing is sent;
 * - each event states the visitor's consent (`C0004` → marketing, denied by default); with
 *   marketing granted every event writes email, phone (E.164), language (the locale's language)
 *   and marketingConsent true, and identify or `Signed Up` also write first and last name;
 * - the first event after marketing was withdrawn writes only email and marketingConsent false;
 *   later events without marketing consent write nothing;
 * - Actito's upsert changes only the attributes sent.
 */
import type { WireEvent } from './mixed-trace.js';

export type ProfileAttributes = Record<string, unknown>;

interface VisitorModel {
  traits: Record<string, unknown>;
  marketing: boolean | undefined;
  profile: ProfileAttributes | undefined;
}

/** Final attributes by profile key (normalised e-mail); visitors never sent are absent. */
export function expectedProfiles(events: WireEvent[]): Map<string, ProfileAttributes> {
  const visitors = new Map<string, VisitorModel>();

  for (const event of events) {
    const visitor = visitors.get(event.anonymousId) ?? {
      traits: {},
      marketing: undefined,
      profile: undefined,
    };
    visitors.set(event.anonymousId, visitor);
    apply(visitor, event);
  }

  const profiles = new Map<string, ProfileAttributes>();
  for (const visitor of visitors.values()) {
    if (visitor.profile) profiles.set(String(visitor.profile.email), visitor.profile);
  }
  return profiles;
}

/** The e-mail every visitor of the trace would be keyed on, delivered or not. */
export function visitorEmails(events: WireEvent[]): Set<string> {
  const emails = new Set<string>();
  for (const event of events) {
    const email = (event.traits as Record<string, unknown> | undefined)?.email;
    if (typeof email === 'string') emails.add(email.trim().toLowerCase());
  }
  return emails;
}

function apply(visitor: VisitorModel, event: WireEvent): void {
  if (event.type === 'identify') {
    visitor.traits = { ...visitor.traits, ...(event.traits as Record<string, unknown>) };
  }

  const context = event.context as { locale: string; consent: { categories: { C0004: boolean } } };
  const before = visitor.marketing;
  const marketing = context.consent.categories.C0004;
  visitor.marketing = marketing;

  const email = visitor.traits.email;
  if (typeof email !== 'string') return;

  const key = email.trim().toLowerCase();
  if (!marketing) {
    if (before === true) write(visitor, { email: key, marketingConsent: false });
    return;
  }

  const attributes: ProfileAttributes = {
    email: key,
    language: context.locale.split('-')[0]!.toLowerCase(),
    marketingConsent: true,
  };
  if (typeof visitor.traits.phone === 'string') {
    attributes.phone = visitor.traits.phone.replace(/[\s-]/g, '');
  }
  if (event.type === 'identify' || (event.type === 'track' && event.event === 'Signed Up')) {
    attributes.firstName = visitor.traits.firstName;
    attributes.lastName = visitor.traits.lastName;
  }
  write(visitor, attributes);
}

function write(visitor: VisitorModel, attributes: ProfileAttributes): void {
  visitor.profile = { ...visitor.profile, ...attributes };
}
