/**
 * The collector behind `window.datafly`: builds events, keeps the user id, traits and consent
 * across page loads, and hands events to the transport.
 */
import { watchCmps, readCmpConsent } from './consent/watch-consent.js';
import { eventContext } from './context.js';
import { messageId } from './message-id.js';
import { watchNavigation } from './navigation.js';
import { safe } from './safe.js';
import { load, save } from './storage.js';
import { createTransport } from './transport.js';
import type {
  Consent,
  Datafly,
  DataflyEvent,
  DataflyOptions,
  EventType,
  Properties,
} from './types.js';

/** Page views compare URLs without the fragment: a `#section` jump is not a new page. */
const withoutHash = (url: string) => url.split('#')[0];

/**
 * Creates a collector. The automatic page view waits for a microtask, so calls made in the same
 * task as creation (the snippet's queued calls, an immediate identify) come before it.
 */
export function createDatafly(options: DataflyOptions): Datafly {
  const { pipelineKey, endpoint, autoPage = true, flushAt = 10, flushInterval = 1000 } = options;
  const transport = createTransport(
    endpoint.replace(/\/+$/, '') + '/v1/batch',
    pipelineKey,
    flushAt,
    flushInterval,
  );

  let userId = load<string>('user');
  let traits = load<Properties>('traits') ?? {};
  let consent = load<Consent>('consent');
  let pageUrl = location.href;
  let referrer = document.referrer;
  let started = false;

  const send = (type: EventType, fields: Partial<DataflyEvent>) =>
    transport.push({
      type,
      properties: {},
      ...fields,
      userId,
      context: eventContext(referrer, consent, traits),
      messageId: messageId(),
      timestamp: new Date().toISOString(),
    });

  const track = (event: string, properties?: Properties) =>
    send('track', { event: String(event), properties: { ...properties } });

  /**
   * A change noticed while starting travels on the first page view; after that, and for every
   * explicit call, `Consent Updated` is sent at once so a withdrawal reaches the server now.
   */
  const setConsent = (next: Consent | undefined, announce = started) => {
    if (!next || JSON.stringify(next) == JSON.stringify(consent)) return;

    consent = next;
    save('consent', next);
    if (announce) {
      track('Consent Updated');
      transport.flush();
    }
  };

  const api: Datafly = {
    page(name, properties) {
      if (typeof name == 'object') [name, properties] = [undefined, name];
      send('page', { name, properties: { ...properties } });
    },

    track,

    identify(id, more) {
      if (typeof id == 'object') [id, more] = [undefined, id];
      if (id != null) save('user', (userId = String(id)));
      save('traits', (traits = { ...traits, ...more }));
      send('identify', { traits });
    },

    group(groupId, groupTraits) {
      send('group', { groupId: String(groupId), traits: { ...groupTraits } });
    },

    reset() {
      save('user', (userId = undefined));
      save('traits', (traits = {}));
    },

    consent(categories) {
      setConsent(
        {
          categories: { ...categories },
          canonical: { essential: true, ...categories },
          source: 'datafly',
        },
        true,
      );
    },
  };

  // Every method swallows its own failures: the page must never see one.
  for (const key in api) {
    const method = key as keyof Datafly;
    api[method] = safe(api[method] as (...args: unknown[]) => void);
  }

  // A CMP's answer counts only when it differs from its previous one: CMPs repeat themselves on
  // every page load, and a repeat must not undo a later `datafly.consent` call.
  const fromCmp = (next: Consent | undefined, announce = started) => {
    if (!next || JSON.stringify(next) == JSON.stringify(load('cmp'))) return;

    save('cmp', next);
    setConsent(next, announce);
  };
  fromCmp(readCmpConsent());
  watchCmps(fromCmp);

  if (autoPage) {
    queueMicrotask(safe(api.page));
    watchNavigation(() => {
      if (withoutHash(location.href) == withoutHash(pageUrl)) return;

      referrer = pageUrl;
      pageUrl = location.href;
      api.page();
    });
  }

  started = true;
  return api;
}
