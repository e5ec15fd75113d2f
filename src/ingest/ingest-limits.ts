import { ConfigError } from '../core/errors.js';

/**
 * The gateway's limits. The defaults follow the platform's published ones (5 MB per request,
 * 500 events per batch, 64 KB per event, 5 minutes of clock skew for signed requests).
 */
export interface IngestLimits {
  /** Largest request body in bytes; larger → 413 PAYLOAD_TOO_LARGE. */
  maxBodyBytes: number;
  /** Most events in one request; more → 400 BATCH_TOO_LARGE for the whole request. */
  maxBatchEvents: number;
  /** Largest single event, serialised as JSON, in bytes; larger → 400 BATCH_TOO_LARGE. */
  maxEventBytes: number;
  /** Largest distance between `X-Timestamp` and the server clock on `/v1/events`. */
  maxClockSkewMs: number;
  /**
   * How long a pipeline-key lookup is reused. A revoked or disabled key keeps working on a
   * process for at most this long; a newly created key may be refused for as long.
   */
  keyCacheTtlMs: number;
  /** Cached key lookups kept at most (unknown keys are cached too, so this bounds memory). */
  keyCacheMaxEntries: number;
}

/** 5 MB per request, 500 events, 64 KB per event, 5 minutes of skew, keys cached 5 s. */
export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatchEvents: 500,
  maxEventBytes: 64 * 1024,
  maxClockSkewMs: 5 * 60 * 1000,
  keyCacheTtlMs: 5_000,
  keyCacheMaxEntries: 10_000,
});

/** The defaults overridden by `overrides`; neither argument is modified. */
export function resolveIngestLimits(overrides: Partial<IngestLimits> = {}): IngestLimits {
  const limits = { ...DEFAULT_INGEST_LIMITS };

  for (const name of Object.keys(limits) as (keyof IngestLimits)[]) {
    const value = overrides[name];
    if (value === undefined) continue;

    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigError(
        'INVALID_CONFIG',
        `Ingest limit "${name}" must be a non-negative number`,
      );
    }
    limits[name] = value;
  }

  return limits;
}
