/**
 * The processing stage: reads the event log in order and, for each event, drops duplicates,
 * resolves identity and consent, and routes it to its pipeline's integrations. One batch of
 * events is decided in memory and written in one atomic commit together with the log cursor,
 * so a restart resumes exactly where the last commit left off.
 */
import type { ActiveIntegrations } from '../integrations/active-integrations.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { TraceBus } from '../observability/trace.js';
import type { Store } from '../store/store.js';
import type { DropRecord, IntentInput, Pipeline, StoredEvent } from '../store/types.js';
import { resolveConsent, withdrawnCategories } from './consent-resolver.js';
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

    const pipelines = new Map((await store.listPipelines()).map((p) => [p.id, p]));
    const consentSettings = await store.getConsentSettings();
    const duplicates = await this.findDuplicates(events);
    const graph = new IdentityGraph(
      await store.findProfiles({
        userIds: unique(events.map((e) => e.event.userId)),
        anonymousIds: unique(events.map((e) => e.event.anonymousId)),
      }),
    );

    const now = new Date().toISOString();
    const intents: IntentInput[] = [];
    const drops: DropRecord[] = [];
    const seen: { pipelineId: string; messageId: string }[] = [];

    for (const stored of events) {
      const { event, pipelineId } = stored;
      const messageId = event.messageId;
      this.options.traces.emit({
        stage: 'received',
        pipelineId,
        messageIds: [messageId],
        detail: { event },
      });

      if (duplicates.has(stored.seq)) {
        drops.push({ messageId, pipelineId, reason: 'duplicate messageId', at: now });
        this.options.metrics.eventsDropped.inc({ integration: '', reason: 'duplicate' });
        this.options.traces.emit({
          stage: 'duplicate',
          pipelineId,
          messageIds: [messageId],
          detail: {},
        });
        continue;
      }
      seen.push({ pipelineId, messageId });

      const profile = graph.resolve(event, now);
      if (profile && event.type === 'identify') graph.mergeTraits(profile, event.traits, now);

      const previousConsent = profile?.consent;
      const consent = resolveConsent(event.context.consent, consentSettings, previousConsent);
      if (profile && consent.stated) {
        profile.consent = consent.state;
        graph.touch(profile, now);
      }
      const withdrawn = profile ? withdrawnCategories(previousConsent, consent.state) : [];
      const enriched = { ...event, traits: { ...profile?.traits, ...event.traits } };

      const pipeline = pipelines.get(pipelineId);
      for (const integrationId of pipeline?.integrationIds ?? []) {
        this.route(
          integrationId,
          pipelineId,
          enriched,
          consent.state,
          withdrawn,
          now,
          intents,
          drops,
        );
      }
    }

    const fates = await store.commitProcessing({
      cursor: events[events.length - 1]!.seq,
      seen,
      profiles: graph.changedProfiles(),
      mergedProfileIds: [...graph.merged],
      intents,
      drops,
      at: now,
    });

    this.report(intents, fates);
    return events.length;
  }

  private route(
    integrationId: string,
    pipelineId: string,
    event: StoredEvent['event'],
    consent: Parameters<typeof routeEvent>[2],
    withdrawn: Parameters<typeof routeEvent>[3],
    now: string,
    intents: IntentInput[],
    drops: DropRecord[],
  ): void {
    const { metrics, traces } = this.options;
    const messageIds = [event.messageId];
    const integration = this.options.integrations.get(integrationId);

    if (!integration) {
      const reason = `integration ${this.options.integrations.problem(integrationId) ?? 'not found'}`;
      drops.push({ messageId: event.messageId, pipelineId, integrationId, reason, at: now });
      metrics.eventsDropped.inc({ integration: integrationId, reason: 'integration inactive' });
      traces.emit({ stage: 'dropped', pipelineId, integrationId, messageIds, detail: { reason } });
      return;
    }

    const decision = routeEvent(integration, event, consent, withdrawn);
    if (decision.warnings.length > 0) {
      this.options.logger.warn(
        { messageId: event.messageId, integration: integrationId, warnings: decision.warnings },
        'some attributes were left out',
      );
    }

    if (decision.kind === 'drop') {
      drops.push({
        messageId: event.messageId,
        pipelineId,
        integrationId,
        reason: decision.reason,
        at: now,
      });
      metrics.eventsDropped.inc({ integration: integrationId, reason: dropLabel(decision.reason) });
      traces.emit({
        stage: 'dropped',
        pipelineId,
        integrationId,
        messageIds,
        detail: { reason: decision.reason, warnings: decision.warnings },
      });
      return;
    }

    const settings = integration.record.delivery;
    intents.push({
      integrationId,
      profileKey: decision.profileKey,
      attributes: decision.attributes,
      messageId: event.messageId,
      // An opt-out must reach the vendor even if it looks like what we last sent.
      unchangedMaxAgeMs:
        settings.skipUnchanged && !decision.optOut ? settings.unchangedMaxAgeMs : null,
    });
    metrics.eventsPlanned.inc({ integration: integrationId });
    traces.emit({
      stage: 'planned',
      pipelineId,
      integrationId,
      messageIds,
      profileKey: decision.profileKey,
      detail: {
        attributes: decision.attributes,
        warnings: decision.warnings,
        optOut: decision.optOut,
      },
    });
  }

  private report(intents: IntentInput[], fates: string[]): void {
    const queued = new Set<string>();
    intents.forEach((intent, index) => {
      const fate = fates[index] ?? 'queued';
      this.options.metrics.intents.inc({ integration: intent.integrationId, fate });
      if (fate === 'queued' || fate === 'merged') queued.add(intent.integrationId);
      if (fate !== 'queued') {
        this.options.traces.emit({
          stage: fate === 'merged' ? 'coalesced' : 'unchanged',
          integrationId: intent.integrationId,
          messageIds: [intent.messageId],
          profileKey: intent.profileKey,
          detail: {},
        });
      }
    });
    if (queued.size > 0) this.options.onQueued?.(queued);
  }

  /** Sequence numbers of events whose messageId was already seen for their pipeline. */
  private async findDuplicates(events: StoredEvent[]): Promise<Set<number>> {
    const byPipeline = new Map<string, string[]>();
    for (const { pipelineId, event } of events) {
      byPipeline.set(pipelineId, [...(byPipeline.get(pipelineId) ?? []), event.messageId]);
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

/** A low-cardinality metric label for a drop reason. */
function dropLabel(reason: string): string {
  if (reason.startsWith('consent')) return 'consent';
  if (reason.startsWith('no usable')) return 'no key';
  if (reason.includes('not mapped')) return 'not mapped';
  return 'other';
}

export type { Pipeline };
