/**
 * Identity resolution over the profiles of one processing batch. A visitor is known by user id
 * once identified, else by anonymous id; when an anonymous visitor identifies, their anonymous
 * profile is folded into the user's, so traits and consent gathered before the login carry over.
 */
import type { JsonObject, SignalEvent } from '../core/envelope.js';
import type { Profile } from '../store/types.js';

export class IdentityGraph {
  private readonly byId = new Map<string, Profile>();
  private readonly byAnonymousId = new Map<string, string>();
  /** Profiles changed in this batch, to be written. */
  readonly changed = new Set<string>();
  /** Anonymous profiles folded into a user's, to be removed. */
  readonly merged = new Set<string>();

  constructor(profiles: Profile[]) {
    for (const profile of profiles) this.index(profile);
  }

  /** The profile an event belongs to, created or merged as the ids require. */
  resolve(event: SignalEvent, now: string): Profile | undefined {
    const { userId, anonymousId } = event;
    const anonymous = anonymousId ? this.findByAnonymousId(anonymousId) : undefined;

    if (userId === undefined) {
      if (anonymousId === undefined) return undefined;
      return anonymous ?? this.create(`anon:${anonymousId}`, undefined, anonymousId, now);
    }

    // The anonymous id is attached by `link` below, which also takes it off a previous owner.
    const user =
      this.byId.get(`user:${userId}`) ?? this.create(`user:${userId}`, userId, undefined, now);
    if (anonymousId !== undefined && anonymous !== user) {
      if (anonymous && anonymous.userId === undefined) this.fold(anonymous, user, now);
      // An anonymous id last seen with another user (a shared device) now belongs to this one.
      this.link(anonymousId, user, now);
    }
    return user;
  }

  /** Whether the store or this batch already knows the visitor behind this event. */
  knows(event: SignalEvent): boolean {
    if (event.userId !== undefined && this.byId.has(`user:${event.userId}`)) return true;
    return event.anonymousId !== undefined && this.byAnonymousId.has(event.anonymousId);
  }

  /** Merges identify traits into the profile: new keys win. */
  mergeTraits(profile: Profile, traits: JsonObject, now: string): void {
    if (Object.keys(traits).length === 0) return;
    profile.traits = { ...profile.traits, ...traits };
    this.touch(profile, now);
  }

  touch(profile: Profile, now: string): void {
    profile.updatedAt = now;
    this.changed.add(profile.id);
  }

  changedProfiles(): Profile[] {
    return [...this.changed].map((id) => this.byId.get(id)).filter((p): p is Profile => !!p);
  }

  private findByAnonymousId(anonymousId: string): Profile | undefined {
    const id = this.byAnonymousId.get(anonymousId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  private create(
    id: string,
    userId: string | undefined,
    anonymousId: string | undefined,
    now: string,
  ) {
    const profile: Profile = {
      id,
      ...(userId === undefined ? {} : { userId }),
      anonymousIds: anonymousId === undefined ? [] : [anonymousId],
      traits: {},
      updatedAt: now,
    };
    this.index(profile);
    this.changed.add(id);
    return profile;
  }

  /**
   * Folds an anonymous profile into a user's: the user's own traits win, and the consent of
   * whichever profile changed last, since consent is "the latest state".
   */
  private fold(anonymous: Profile, user: Profile, now: string): void {
    user.traits = { ...anonymous.traits, ...user.traits };
    const anonymousIsNewer = anonymous.updatedAt > user.updatedAt || user.consent === undefined;
    if (anonymous.consent !== undefined && anonymousIsNewer) user.consent = anonymous.consent;
    for (const anonymousId of anonymous.anonymousIds) this.link(anonymousId, user, now);

    this.byId.delete(anonymous.id);
    this.changed.delete(anonymous.id);
    this.merged.add(anonymous.id);
  }

  private link(anonymousId: string, profile: Profile, now: string): void {
    const previous = this.findByAnonymousId(anonymousId);
    if (previous && previous !== profile) {
      previous.anonymousIds = previous.anonymousIds.filter((id) => id !== anonymousId);
      this.touch(previous, now);
    }
    if (!profile.anonymousIds.includes(anonymousId)) profile.anonymousIds.push(anonymousId);
    this.byAnonymousId.set(anonymousId, profile.id);
    this.touch(profile, now);
  }

  private index(profile: Profile): void {
    this.byId.set(profile.id, profile);
    this.merged.delete(profile.id);
    for (const anonymousId of profile.anonymousIds) this.byAnonymousId.set(anonymousId, profile.id);
  }
}
