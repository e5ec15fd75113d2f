import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniformConsent } from '../core/consent.js';
import type { SignalEvent } from '../core/envelope.js';
import type { Profile } from '../store/types.js';
import { IdentityGraph } from './identity.js';

const EARLIER = '2025-01-01T09:00:00.000Z';
const NOW = '2025-01-01T10:00:00.000Z';

function event(ids: { userId?: string; anonymousId?: string }): SignalEvent {
  return {
    type: 'page',
    properties: {},
    traits: {},
    ...ids,
    context: {},
    timestamp: NOW,
    messageId: 'm-1',
    receivedAt: NOW,
  };
}

function anonymousProfile(anonymousId: string, extra: Partial<Profile> = {}): Profile {
  return {
    id: `anon:${anonymousId}`,
    anonymousIds: [anonymousId],
    traits: {},
    updatedAt: EARLIER,
    ...extra,
  };
}

function userProfile(userId: string, anonymousIds: string[], extra: Partial<Profile> = {}) {
  const profile: Profile = {
    id: `user:${userId}`,
    userId,
    anonymousIds,
    traits: {},
    updatedAt: EARLIER,
    ...extra,
  };
  return profile;
}

describe('IdentityGraph', () => {
  it('creates an anonymous profile for a visitor known only by anonymous id', () => {
    const graph = new IdentityGraph([]);

    const profile = graph.resolve(event({ anonymousId: 'a-1' }), NOW);

    assert.deepEqual(profile, {
      id: 'anon:a-1',
      anonymousIds: ['a-1'],
      traits: {},
      updatedAt: NOW,
    });
    assert.deepEqual(graph.changedProfiles(), [profile]);
  });

  it('resolves no profile for an event without any id', () => {
    const graph = new IdentityGraph([]);

    const profile = graph.resolve(event({}), NOW);

    assert.equal(profile, undefined);
    assert.deepEqual(graph.changedProfiles(), []);
  });

  it('finds the user profile through an anonymous id linked to it', () => {
    const user = userProfile('u-1', ['a-1']);
    const graph = new IdentityGraph([user]);

    const profile = graph.resolve(event({ anonymousId: 'a-1' }), NOW);

    assert.equal(profile, user);
    assert.deepEqual(graph.changedProfiles(), []);
  });

  it('folds the anonymous profile into the user created at login, traits and consent included', () => {
    const consent = { ...uniformConsent(false), marketing: true };
    const anonymous = anonymousProfile('a-1', { traits: { email: 'ada@example.com' }, consent });
    const graph = new IdentityGraph([anonymous]);

    const user = graph.resolve(event({ userId: 'u-1', anonymousId: 'a-1' }), NOW);

    assert.deepEqual(user, {
      id: 'user:u-1',
      userId: 'u-1',
      anonymousIds: ['a-1'],
      traits: { email: 'ada@example.com' },
      consent,
      updatedAt: NOW,
    });
    assert.deepEqual([...graph.merged], ['anon:a-1']);
    assert.deepEqual(graph.changedProfiles(), [user]);
  });

  it("keeps the user's own traits and consent over the anonymous profile's when folding", () => {
    const userConsent = uniformConsent(false);
    const user = userProfile('u-1', [], { traits: { plan: 'pro' }, consent: userConsent });
    const anonymous = anonymousProfile('a-1', {
      traits: { plan: 'free', city: 'Ghent' },
      consent: uniformConsent(true),
    });
    const graph = new IdentityGraph([user, anonymous]);

    graph.resolve(event({ userId: 'u-1', anonymousId: 'a-1' }), NOW);

    assert.deepEqual(user.traits, { plan: 'pro', city: 'Ghent' });
    assert.equal(user.consent, userConsent);
    assert.deepEqual(user.anonymousIds, ['a-1']);
  });

  it('finds the folded user by the anonymous id later in the same batch', () => {
    const graph = new IdentityGraph([anonymousProfile('a-1')]);
    const user = graph.resolve(event({ userId: 'u-1', anonymousId: 'a-1' }), NOW);

    const later = graph.resolve(event({ anonymousId: 'a-1' }), NOW);

    assert.equal(later, user);
  });

  it('moves a shared device to an existing second user and takes it off the first', () => {
    const first = userProfile('u-1', ['device']);
    const second = userProfile('u-2', []);
    const graph = new IdentityGraph([first, second]);

    const resolved = graph.resolve(event({ userId: 'u-2', anonymousId: 'device' }), NOW);

    assert.equal(resolved, second);
    assert.deepEqual(second.anonymousIds, ['device']);
    assert.deepEqual(first.anonymousIds, []);
    assert.deepEqual([...graph.merged], []);
  });

  it('takes a shared device off the first user when the second user is new', () => {
    const first = userProfile('u-1', ['device']);
    const graph = new IdentityGraph([first]);

    const second = graph.resolve(event({ userId: 'u-2', anonymousId: 'device' }), NOW);

    assert.deepEqual(second?.anonymousIds, ['device']);
    assert.deepEqual(first.anonymousIds, []);
    assert.ok(graph.changedProfiles().includes(first), 'the first user must be saved again');
  });

  it('merges identify traits with new keys winning and marks the profile changed', () => {
    const user = userProfile('u-1', [], { traits: { email: 'old@example.com', plan: 'free' } });
    const graph = new IdentityGraph([user]);

    graph.mergeTraits(user, { email: 'new@example.com', city: 'Ghent' }, NOW);

    assert.deepEqual(user.traits, { email: 'new@example.com', plan: 'free', city: 'Ghent' });
    assert.equal(user.updatedAt, NOW);
    assert.deepEqual(graph.changedProfiles(), [user]);
  });

  it('leaves a profile untouched when identify brings no traits', () => {
    const user = userProfile('u-1', [], { traits: { plan: 'free' } });
    const graph = new IdentityGraph([user]);

    graph.mergeTraits(user, {}, NOW);

    assert.equal(user.updatedAt, EARLIER);
    assert.deepEqual(graph.changedProfiles(), []);
  });
});
