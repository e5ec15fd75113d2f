/**
 * Pipeline-key lookups, kept in memory for a few seconds so the hot path rarely reaches the
 * store. The price is a delay: a key revoked or a pipeline disabled in the store by anyone but
 * this process (which calls `forget`) keeps working here until its entry expires
 * (`keyCacheTtlMs`, 5 s by default). Unknown keys are cached
 * as well, so a client hammering with a bad key costs one lookup per interval.
 */
import type { Store } from '../store/store.js';
import type { Pipeline } from '../store/types.js';
import { compileOriginPolicy, isOriginAllowed, type OriginPolicy } from './cors.js';

/** A pipeline with its allow-list compiled. */
export interface KnownPipeline {
  pipeline: Pipeline;
  origins: OriginPolicy;
}

interface Entry {
  expiresAt: number;
  lookup: Promise<KnownPipeline | undefined>;
}

/** Key → pipeline lookups with a time to live; concurrent misses share one store call. */
export class PipelineCache {
  private readonly byKey = new Map<string, Entry>();
  private anyPolicy: Promise<OriginPolicy> | undefined;
  private anyExpiresAt = 0;

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The pipeline of `key`, enabled or not; undefined when no pipeline has that key. */
  find(key: string, nowMs: number): Promise<KnownPipeline | undefined> {
    const cached = this.byKey.get(key);
    if (cached !== undefined && cached.expiresAt > nowMs) return cached.lookup;

    const lookup = this.store.findPipelineByKey(key).then(compile);
    this.remember(key, { expiresAt: nowMs + this.ttlMs, lookup });

    // A failed lookup (store down) must not be served from the cache to the next request.
    lookup.catch(() => {
      if (this.byKey.get(key)?.lookup === lookup) this.byKey.delete(key);
    });

    return lookup;
  }

  /**
   * Whether any enabled pipeline allows `origin`. A preflight carries no key, so it is answered
   * from the union of every allow-list; the real request is then checked against its pipeline.
   */
  async allowsOriginAnywhere(origin: string, nowMs: number): Promise<boolean> {
    if (this.anyPolicy === undefined || this.anyExpiresAt <= nowMs) {
      const policy = this.store.listPipelines().then(unionPolicy);
      this.anyPolicy = policy;
      this.anyExpiresAt = nowMs + this.ttlMs;
      policy.catch(() => {
        if (this.anyPolicy === policy) this.anyPolicy = undefined;
      });
    }

    return isOriginAllowed(await this.anyPolicy, origin);
  }

  /** Drops every cached lookup: the next request of each key asks the store. */
  forget(): void {
    this.byKey.clear();
    this.anyPolicy = undefined;
  }

  private remember(key: string, entry: Entry): void {
    if (this.byKey.size >= this.maxEntries) this.evict(entry.expiresAt - this.ttlMs);

    this.byKey.set(key, entry);
  }

  /** Drops expired entries; if the cache is still full of live ones, starts over. */
  private evict(nowMs: number): void {
    for (const [key, entry] of this.byKey) {
      if (entry.expiresAt <= nowMs) this.byKey.delete(key);
    }

    if (this.byKey.size >= this.maxEntries) this.byKey.clear();
  }
}

function compile(pipeline: Pipeline | undefined): KnownPipeline | undefined {
  if (pipeline === undefined) return undefined;

  return { pipeline, origins: compileOriginPolicy(pipeline.allowedOrigins) };
}

function unionPolicy(pipelines: Pipeline[]): OriginPolicy {
  const enabled = pipelines.filter((pipeline) => pipeline.enabled);

  return compileOriginPolicy(enabled.flatMap((pipeline) => pipeline.allowedOrigins));
}
