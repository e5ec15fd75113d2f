/**
 * The processing stage: reads the event log in order and, for each event, drops duplicates,
 * resolves identity and consent, and routes it to its pipeline's integrations. One batch of
 * events is decided in memory and written in one atomic commit together with the log cursor,
 * so a restart resumes exactly where the last commit left off.
 */
import type { ConsentCategory, ConsentState } from '../core/consent.js';
import type { SignalEvent } from '../core/envelope.js';
import type { ActiveIntegrations } from '../integrations/active-integrations.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { TraceBus } from '../observability/trace.js';
import type { Store } from '../store/store.js';
import type { ConsentSettings, Pipeline, StoredEvent } from '../store/types.js';
import { BatchDecisions } from './batch-decisions.js';
import { defaultConsent, resolveConsent, withdrawnCategories } from './consent-resolver.js';
import { IdentityGraph } from './identity.js';
import { routeEvent } from './route-event.js';

export interface ProcessorOptions {
  store: Store;
  integrations: ActiveIntegrations;
  metrics: Metrics;
  logger: Logger;
  traces: TraceBus;
  /** Told which integrations have new work, so their workers need not wait for a poll. */
  onQueued?: (integrationIds: Set<string>) => void;
  batchSize?: number;
  /** How long an idle processor waits before looking at the log again. */
  idlePollMs?: number;
}

export class Processor {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly batchSize: number;

  constructor(private readonly options: ProcessorOptions) {
    this.batchSize = options.batchSize ?? 500;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
  }

  /** New events were appended: look at the log now. */
  notify(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.processBatch();
      } catch (error) {
        this.options.logger.error({ err: error }, 'processing failed; retrying shortly');
      }
      if (handled === 0 && this.running) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.idlePollMs ?? 250);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Processes the next batch of the log; returns how many events it handled. */
  async processBatch(): Promise<number> {
    const { store } = this.options;
    const cursor = await store.readCursor();
    const events = await store.readEvents(cursor, this.batchSize);
    if (events.length === 0) return 0;

    const batch: BatchContext = {
      pipelines: new Map((await store.listPipelines()).map((p) => [p.id, p])),
      consentSettings: await store.getConsentSettings(),
      duplicates: await this.findDuplicates(events),
      graph: new IdentityGraph(
        await store.findProfiles({
          userIds: unique(events.map((e) => e.event.userId)),
          anonymousIds: unique(events.map((e) => e.event.anonymousId)),
        }),
      ),
      decisions: new BatchDecisions(
        this.options.metrics,
        this.options.traces,
        new Date().toISOString(),
      ),
    };

    for (const stored of events) {
      try {
        this.handle(stored, batch);
      } catch (error) {
        // One event that cannot be processed must not hold up the log behind it.
        this.options.logger.error(
          { err: error, messageId: stored.event.messageId, seq: stored.seq },
          'event could not be processed; recorded as dropped',
        );
        batch.decisions.failed(stored, error);
      }
    }

    const { decisions, graph } = batch;
    const fates = await store.commitProcessing({
      cursor: events[events.length - 1]!.seq,
      seen: decisions.seen,
      profiles: graph.changedProfiles(),
      mergedProfileIds: [...graph.merged],
      intents: decisions.intents,
      drops: decisions.drops,
      at: decisions.now,
    });

    const queued = decisions.settle(fates);
    if (queued.size > 0) this.options.onQueued?.(queued);
    return events.length;
  }

  /** Dedupe, identity and consent for one event, then its route to each integration. */
  private handle(stored: StoredEvent, batch: BatchContext): void {
    const { seq, pipelineId, event } = stored;
    const { graph, decisions } = batch;
    const now = decisions.now;
    const messageId = event.messageId;
    decisions.received(stored);

    if (batch.duplicates.has(seq)) return decisions.duplicate(pipelineId, messageId);
    decisions.seen.push({ pipelineId, messageId });

    const pipeline = batch.pipelines.get(pipelineId);
    if (!pipeline) return decisions.unrouted(pipelineId, messageId);

    const known = graph.knows(event);
    const profile = graph.resolve(event, now);
    if (profile && event.type === 'identify') graph.mergeTraits(profile, event.traits, now);

    const previousConsent = profile?.consent;
    const consent = resolveConsent(event.context.consent, batch.consentSettings, previousConsent);
    // A known visitor who never stated consent had the default; refusing now withdraws it.
    const before = known ? (previousConsent ?? defaultConsent(batch.consentSettings)) : undefined;
    if (profile && consent.stated) {
      profile.consent = consent.state;
      graph.touch(profile, now);
    }
    const withdrawn = withdrawnCategories(before, consent.state);
    const enriched = { ...event, traits: { ...profile?.traits, ...event.traits } };

    for (const integrationId of pipeline.integrationIds) {
      const where = { pipelineId, integrationId, messageId };
      try {
        this.route(where, enriched, consent.state, withdrawn, decisions);
      } catch (error) {
        // One integration whose planning throws must not take the event from the others.
        this.options.logger.error(
          { err: error, messageId, integration: integrationId, seq },
          'planning failed; the event is dropped for this integration',
        );
        const message = error instanceof Error ? error.message : String(error);
        decisions.planningFailed(where, message);
      }
    }
  }

  /** Plans one event for one integration: an intent, or a drop with its reason. */
  private route(
    where: { pipelineId: string; integrationId: string; messageId: string },
    event: SignalEvent,
    consent: ConsentState,
    withdrawn: ConsentCategory[],
    decisions: BatchDecisions,
  ): void {
    const { pipelineId, integrationId, messageId } = where;
    const integration = this.options.integrations.get(integrationId);
    if (!integration) {
      const problem = this.options.integrations.problem(integrationId) ?? 'not found';
      return decisions.inactive(where, problem);
    }

    const decision = routeEvent(integration, event, consent, withdrawn);
    if (decision.warnings.length > 0) {
      this.options.logger.warn(
        { messageId, integration: integrationId, warnings: decision.warnings },
        'some attributes were left out',
      );
    }
    if (decision.kind === 'drop') return decisions.drop(where, decision.reason, decision.warnings);

    const settings = integration.record.delivery;
    // An opt-out must reach the vendor even if it looks like what was sent last.
    const skipUnchanged = settings.skipUnchanged && !decision.optOut;
    decisions.intent(
      pipelineId,
      {
        integrationId,
        profileKey: decision.profileKey,
        attributes: decision.attributes,
        messageId,
        unchangedMaxAgeMs: skipUnchanged ? settings.unchangedMaxAgeMs : null,
      },
      { warnings: decision.warnings, optOut: decision.optOut },
    );
  }

  /** Sequence numbers of events whose messageId was already seen for their pipeline. */
  private async findDuplicates(events: StoredEvent[]): Promise<Set<number>> {
    const byPipeline = new Map<string, string[]>();
    for (const { pipelineId, event } of events) {
      const ids = byPipeline.get(pipelineId);
      if (ids) ids.push(event.messageId);
      else byPipeline.set(pipelineId, [event.messageId]);
    }
    const alreadySeen = new Map<string, Set<string>>();
    for (const [pipelineId, ids] of byPipeline) {
      alreadySeen.set(pipelineId, await this.options.store.findSeenMessageIds(pipelineId, ids));
    }

    const duplicates = new Set<number>();
    const inBatch = new Set<string>();
    for (const { seq, pipelineId, event } of events) {
      const key = `${pipelineId}\u0000${event.messageId}`;
      if (alreadySeen.get(pipelineId)?.has(event.messageId) || inBatch.has(key))
        duplicates.add(seq);
      inBatch.add(key);
    }
    return duplicates;
  }
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}

interface BatchContext {
  pipelines: Map<string, Pipeline>;
  consentSettings: ConsentSettings;
  /** Log positions of events already seen (same pipeline and messageId). */
  duplicates: Set<number>;
  graph: IdentityGraph;
  decisions: BatchDecisions;
}
