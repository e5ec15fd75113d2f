/**
 * The profiles of one table, in memory, with an index per unique attribute. Unique values are
 * compared exactly as stored (no case folding): normalising e-mails is the client's job.
 */

export interface Subscription {
  name: string;
  subscribe: boolean;
}

export interface Segmentation {
  belongs: boolean;
  segmentation: { category: string; name: string };
}

export interface StoredProfile {
  profileId: number;
  attributes: Record<string, unknown>;
  subscriptions: Subscription[];
  segmentations: Segmentation[];
  creationMoment: string;
  updateMoment: string;
}

/** What a write changes: attributes to set (`null` clears) and the optional sections. */
export interface ProfileChanges {
  attributes: Record<string, unknown>;
  subscriptions?: Subscription[];
  segmentations?: Segmentation[];
}

/**
 * Profiles kept per table. Beyond this the oldest profile is dropped, so a long benchmark with
 * ever-new e-mails cannot exhaust the machine's memory.
 */
export const MAX_PROFILES_PER_TABLE = 200_000;

export class ProfileStore {
  private readonly byId = new Map<number, StoredProfile>();
  private readonly indexes = new Map<string, Map<unknown, number>>();
  private nextId = 1;

  constructor(private readonly uniqueAttributes: string[]) {
    for (const name of uniqueAttributes) this.indexes.set(name, new Map());
  }

  get size(): number {
    return this.byId.size;
  }

  get(profileId: number): StoredProfile | undefined {
    return this.byId.get(profileId);
  }

  /** The profile holding `value` in the unique attribute `attribute`. */
  findByUnique(attribute: string, value: unknown): StoredProfile | undefined {
    const id = this.indexes.get(attribute)?.get(value);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The distinct profiles matched by the unique values present in `attributes`. */
  matches(attributes: Record<string, unknown>): StoredProfile[] {
    const found: StoredProfile[] = [];

    for (const name of this.uniqueAttributes) {
      const value = attributes[name];
      if (value === undefined || value === null) continue;
      const profile = this.findByUnique(name, value);
      if (profile !== undefined && !found.includes(profile)) found.push(profile);
    }

    return found;
  }

  create(changes: ProfileChanges, now: string): StoredProfile {
    const profile: StoredProfile = {
      profileId: this.nextId++,
      attributes: {},
      subscriptions: [],
      segmentations: [],
      creationMoment: now,
      updateMoment: now,
    };

    this.apply(profile, changes);
    this.byId.set(profile.profileId, profile);
    this.evictOverflow();
    return profile;
  }

  /** Changes only what `changes` names; other attributes keep their values. */
  update(profile: StoredProfile, changes: ProfileChanges, now: string): StoredProfile {
    this.unindex(profile);
    this.apply(profile, changes);
    profile.updateMoment = now;
    return profile;
  }

  delete(profileId: number): boolean {
    const profile = this.byId.get(profileId);
    if (profile === undefined) return false;

    this.unindex(profile);
    this.byId.delete(profileId);
    return true;
  }

  /** Every profile, oldest first. */
  list(): StoredProfile[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
    for (const index of this.indexes.values()) index.clear();
    this.nextId = 1;
  }

  private apply(profile: StoredProfile, changes: ProfileChanges): void {
    for (const [name, value] of Object.entries(changes.attributes)) {
      if (value === null) delete profile.attributes[name];
      else profile.attributes[name] = value;
    }

    if (changes.subscriptions !== undefined) {
      profile.subscriptions = mergeBy(profile.subscriptions, changes.subscriptions, (s) => s.name);
    }
    if (changes.segmentations !== undefined) {
      profile.segmentations = mergeBy(
        profile.segmentations,
        changes.segmentations,
        (s) => `${s.segmentation.category}\u0000${s.segmentation.name}`,
      );
    }

    this.index(profile);
  }

  private index(profile: StoredProfile): void {
    for (const [name, index] of this.indexes) {
      const value = profile.attributes[name];
      if (value !== undefined) index.set(value, profile.profileId);
    }
  }

  private unindex(profile: StoredProfile): void {
    for (const [name, index] of this.indexes) {
      const value = profile.attributes[name];
      if (value !== undefined && index.get(value) === profile.profileId) index.delete(value);
    }
  }

  private evictOverflow(): void {
    // Map iteration follows insertion order, so the first entry is the oldest profile.
    while (this.byId.size > MAX_PROFILES_PER_TABLE) {
      const oldest = this.byId.keys().next();
      if (oldest.done === true) return;
      this.delete(oldest.value);
    }
  }
}

/** Items of `next` replace those of `current` with the same key; others are kept. */
function mergeBy<T>(current: T[], next: T[], key: (item: T) => string): T[] {
  const merged = new Map(current.map((item) => [key(item), item]));
  for (const item of next) merged.set(key(item), item);
  return [...merged.values()];
}
