/**
 * Delivers the queue of one integration: claims due intents within the vendor's limits (calls in
 * flight, calls per minute), calls the vendor, and records the outcome: delivered, retry later,
 * or dead letter. Each integration has its own worker, so a slow vendor never delays another.
 */
import { DeliveryError, PermanentDeliveryError, TransientDeliveryError } from '../core/errors.js';
import type { ActiveIntegrations } from '../integrations/active-integrations.js';
import type { DeliveryOutcome } from '../integrations/types.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { TraceBus } from '../observability/trace.js';
import type { Store } from '../store/store.js';
import type { AttemptRecord, ClaimedDelivery, DeliveryFailure } from '../store/types.js';
import { CallBudget } from './call-budget.js';
import type { HttpClient } from './http-client.js';
import { nextRetryDelay, type RetryPolicy } from './retry-policy.js';

/** Actito's licence allows five concurrent calls; more would only be answered with 429. */
export const MAX_CONCURRENCY = 5;

/** An idle worker looks at its queue at least this often (intents may be due by then). */
const IDLE_CHECK_MS = 5_000;

/**
 * Intents claimed ahead of the calls in flight, per allowed concurrent call. They hold their
 * keys (nothing newer for those keys is sent before them) for as long as the calls ahead take.
 */
const CLAIM_AHEAD = 4;

/** Longest pause after a vendor's 429 before new calls start. */
const MAX_RATE_LIMIT_PAUSE_MS = 30_000;

/**
 * A held intent starts its call only with at least this share of its lease left; the call is
 * then ended by a deadline before the lease runs out. Otherwise the lease could expire during
 * the call, another claim take the key, and two writes for one profile be in flight at once.
 */
const MIN_LEASE_SHARE_TO_START = 0.5;
/** The deadline falls this much before the lease ends: a tenth of the lease, at most 1 s. */
const LEASE_SAFETY_MAX_MS = 1_000;

/** A claimed intent, with the time its lease ends at the latest. */
interface HeldDelivery {
  delivery: ClaimedDelivery;
  leaseEndsMs: number;
}

export interface WorkerDependencies {
  store: Store;
  integrations: ActiveIntegrations;
  http: HttpClient;
  metrics: Metrics;
  logger: Logger;
  traces: TraceBus;
  retryPolicy: RetryPolicy;
  /** A claimed intent not finished within this long is handed out again. */
  leaseMs: number;
}

export class IntegrationWorker {
  private inFlight = 0;
  private running = false;
  private claiming = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private budget: CallBudget;
  private budgetPerMinute: number | null;
  private readonly settled = new Set<Promise<void>>();
  /** Claimed intents waiting for a free call slot. */
  private readonly ready: HeldDelivery[] = [];

  constructor(
    readonly integrationId: string,
    private readonly deps: WorkerDependencies,
  ) {
    this.budgetPerMinute = this.settings()?.callsPerMinute ?? null;
    this.budget = new CallBudget(this.budgetPerMinute);
  }

  start(): void {
    this.running = true;
    this.notify();
  }

  /**
   * Stops claiming, waits for the calls in flight to finish and be recorded, and hands back the
   * intents claimed ahead, so another worker need not wait for their leases to run out.
   */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.all([...this.settled]);

    const held = this.ready.splice(0).map(({ delivery }) => delivery);
    if (held.length > 0) await this.deps.store.releaseClaims(held);
  }

  /** New intents may be waiting. */
  notify(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.pumpAgain = true;
      return;
    }
    void this.pump();
  }

  private settings() {
    return this.deps.integrations.get(this.integrationId)?.record.delivery;
  }

  private async pump(): Promise<void> {
    this.claiming = true;
    clearTimeout(this.timer);
    try {
      await this.claimAndStart();
    } catch (error) {
      this.deps.logger.error({ err: error, integration: this.integrationId }, 'claiming failed');
      this.schedule(1_000);
    } finally {
      this.claiming = false;
    }
    if (this.pumpAgain) {
      this.pumpAgain = false;
      this.notify();
    }
  }

  private async claimAndStart(): Promise<void> {
    const settings = this.settings();
    if (!settings || !this.running) return;
    this.refreshBudget(settings.callsPerMinute);

    const now = Date.now();
    if (now < this.pausedUntil) return this.schedule(this.pausedUntil - now);

    const concurrency = Math.min(Math.max(settings.concurrency, 1), MAX_CONCURRENCY);
    const room = Math.min(concurrency - this.inFlight, this.budget.available(now));
    if (room <= 0) {
      // A finishing call pumps again; only an exhausted budget needs a timer.
      if (this.inFlight < concurrency) this.schedule(this.budget.waitMs(now));
      return;
    }

    // Claiming a few calls ahead spares a store transaction for every call that finishes.
    const wanted =
      Math.min(concurrency * CLAIM_AHEAD, this.budget.available(now)) - this.ready.length;
    let exhausted = false;
    if (this.ready.length < room && wanted > 0) {
      // Taken before the claim, so the lease is known to end no earlier than this says.
      const leaseEndsMs = Date.now() + this.deps.leaseMs;
      const claimed = await this.deps.store.claimDeliveries(
        this.integrationId,
        wanted,
        this.deps.leaseMs,
      );
      for (const delivery of claimed) this.ready.push({ delivery, leaseEndsMs });
      exhausted = claimed.length < wanted;
    }
    await this.startHeld(room);

    if (!exhausted) {
      this.pumpAgain = this.ready.length === 0 || this.inFlight < concurrency;
      return;
    }
    const due = await this.deps.store.nextDueAt(this.integrationId);
    const wait = due ? due.getTime() - Date.now() : IDLE_CHECK_MS;
    this.schedule(Math.min(Math.max(wait, 0), IDLE_CHECK_MS));
  }

  private refreshBudget(perMinute: number | null): void {
    if (perMinute === this.budgetPerMinute) return;
    this.budgetPerMinute = perMinute;
    this.budget = new CallBudget(perMinute);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => this.notify(), Math.max(ms, 1));
  }

  /** Starts up to `room` held intents; those whose lease is too far gone are handed back. */
  private async startHeld(room: number): Promise<void> {
    const now = Date.now();
    const safety = Math.min(LEASE_SAFETY_MAX_MS, this.deps.leaseMs / 10);
    const stale: ClaimedDelivery[] = [];
    let started = 0;

    while (started < room && this.ready.length > 0) {
      const held = this.ready.shift()!;
      const left = held.leaseEndsMs - now;
      if (left < this.deps.leaseMs * MIN_LEASE_SHARE_TO_START) {
        stale.push(held.delivery);
        continue;
      }
      this.startCall(held.delivery, held.leaseEndsMs - safety);
      started += 1;
    }

    if (stale.length === 0) return;
    await this.deps.store.releaseClaims(stale);
    this.pumpAgain = true;
  }

  /** Starts the call of one claimed intent, to be over by `deadlineMs` (Unix ms). */
  private startCall(delivery: ClaimedDelivery, deadlineMs: number): void {
    this.inFlight += 1;
    this.budget.spend();

    // The slot is free once the vendor has answered; recording the outcome happens meanwhile.
    // The intent stays claimed until it is recorded, so its key still sees one call at a time.
    const freeSlot = once(() => {
      this.inFlight -= 1;
      this.notify();
    });
    const call = this.deliver(delivery, deadlineMs, freeSlot)
      .catch((error: unknown) => {
        this.deps.logger.error(
          { err: error, integration: this.integrationId, deliveryId: delivery.id },
          'recording a delivery outcome failed; the claim will expire and be retried',
        );
      })
      .finally(() => {
        freeSlot();
        this.settled.delete(call);
        // A retry is due, or a newer intent for the key may be claimed, only once recorded.
        this.notify();
      });
    this.settled.add(call);
  }

  private async deliver(
    delivery: ClaimedDelivery,
    deadlineMs: number,
    answered: () => void,
  ): Promise<void> {
    const active = this.deps.integrations.get(this.integrationId);
    if (!active) return this.deps.store.releaseClaims([delivery]);

    const started = performance.now();
    const http = this.deps.http.withDeadline(deadlineMs);
    const outcome = await callVendor(active, delivery, http, this.deps.logger);
    const latencyMs = Math.round(performance.now() - started);
    if (!outcome.ok) this.pauseIfRateLimited(outcome.error);
    answered();
    this.deps.metrics.vendorLatency.observe({ integration: this.integrationId }, latencyMs / 1000);

    const lastResponse = outcome.exchanges.at(-1)?.response;
    const attempt: AttemptRecord = {
      deliveryId: delivery.id,
      integrationId: this.integrationId,
      profileKey: delivery.profileKey,
      attempt: delivery.attempts + 1,
      outcome: 'delivered',
      ...(lastResponse ? { status: lastResponse.status } : {}),
      latencyMs,
      exchanges: outcome.exchanges,
      at: new Date().toISOString(),
    };

    if (outcome.ok) return this.succeeded(delivery, attempt);
    return this.failed(delivery, attempt, outcome.error);
  }

  private hintFor(error: DeliveryError): string | undefined {
    const active = this.deps.integrations.get(this.integrationId);
    return active?.definition.hint?.(error, active.config);
  }

  /** A 429 concerns the whole licence: no new call starts until the vendor's Retry-After. */
  private pauseIfRateLimited(error: DeliveryError): void {
    if (error.code !== 'VENDOR_RATE_LIMITED') return;

    const retryAfterMs = error instanceof TransientDeliveryError ? error.retryAfterMs : undefined;
    this.pausedUntil = Date.now() + Math.min(retryAfterMs ?? 1_000, MAX_RATE_LIMIT_PAUSE_MS);
  }

  private async succeeded(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<void> {
    await this.deps.store.completeDelivery(delivery, attempt);
    this.deps.metrics.deliveries.inc({ integration: this.integrationId, outcome: 'delivered' });
    this.trace('delivered', delivery, attempt);
  }

  private async failed(
    delivery: ClaimedDelivery,
    attempt: AttemptRecord,
    error: DeliveryError,
  ): Promise<void> {
    const failure = toFailure(error, this.hintFor(error));
    const retryAfterMs = error instanceof TransientDeliveryError ? error.retryAfterMs : undefined;

    const delay =
      error instanceof PermanentDeliveryError
        ? undefined
        : nextRetryDelay(this.deps.retryPolicy, delivery.attempts + 1, retryAfterMs);

    if (delay === undefined) {
      const final = error instanceof PermanentDeliveryError ? failure : exhausted(failure, attempt);
      const record = { ...attempt, outcome: 'failed' as const, error: final };
      await this.deps.store.deadLetterDelivery(delivery, record, final);
      this.deps.metrics.deliveries.inc({ integration: this.integrationId, outcome: 'failed' });
      this.deps.metrics.deadLetters.inc({ integration: this.integrationId });
      this.deps.logger.warn(
        { integration: this.integrationId, deliveryId: delivery.id, code: final.code },
        `delivery dead-lettered: ${final.message}`,
      );
      return this.trace('dead_lettered', delivery, record);
    }

    const record = { ...attempt, outcome: 'retry' as const, error: failure };
    await this.deps.store.retryDelivery(delivery, record, new Date(Date.now() + delay));
    this.deps.metrics.deliveries.inc({ integration: this.integrationId, outcome: 'retry' });
    this.deps.metrics.retries.inc({ integration: this.integrationId });
    this.trace('retried', delivery, { ...record, retryInMs: delay });
  }

  private trace(
    stage: 'delivered' | 'retried' | 'dead_lettered',
    delivery: ClaimedDelivery,
    detail: AttemptRecord & { retryInMs?: number },
  ): void {
    this.deps.traces.emit({
      stage,
      integrationId: this.integrationId,
      messageIds: delivery.messageIds,
      profileKey: delivery.profileKey,
      detail: { ...detail, attributes: delivery.attributes },
    });
  }
}

/** Calls the vendor; a definition that throws instead of returning an outcome is retried. */
async function callVendor(
  active: NonNullable<ReturnType<ActiveIntegrations['get']>>,
  delivery: ClaimedDelivery,
  http: HttpClient,
  logger: Logger,
): Promise<DeliveryOutcome> {
  try {
    return await active.definition.deliver(
      { profileKey: delivery.profileKey, attributes: delivery.attributes },
      active.config,
      // One shared logger: a child logger per call would cost more than the call's own work.
      { http, logger },
    );
  } catch (error) {
    logger.error({ err: error, integration: active.record.id }, 'integration threw');
    const message = 'the integration failed unexpectedly; the logs have the details';
    return {
      ok: false,
      error: new TransientDeliveryError('VENDOR_UNEXPECTED', message, { cause: error }),
      exchanges: [],
    };
  }
}

function toFailure(error: DeliveryError, hint: string | undefined): DeliveryFailure {
  return {
    code: error.code,
    message: error.message,
    ...(hint === undefined ? {} : { hint }),
    ...(error.vendorStatus === undefined ? {} : { vendorStatus: error.vendorStatus }),
    ...(error.vendorBody === undefined ? {} : { vendorBody: error.vendorBody }),
  };
}

function exhausted(failure: DeliveryFailure, attempt: AttemptRecord): DeliveryFailure {
  return {
    ...failure,
    message: `gave up after ${attempt.attempt} attempts; last error: ${failure.message}`,
  };
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
