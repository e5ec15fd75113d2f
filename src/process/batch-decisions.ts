/**
 * What processing decided for one batch of events: the dedupe marks, drops and delivery
 * intents to commit, with the matching metrics and debugger traces reported as they are decided.
 */
import type { Metrics } from '../observability/metrics.js';
import type { TraceBus } from '../observability/trace.js';
import type { DropRecord, IntentFate, IntentInput, StoredEvent } from '../store/types.js';

export class BatchDecisions {
  readonly intents: IntentInput[] = [];
  readonly drops: DropRecord[] = [];
  readonly seen: { pipelineId: string; messageId: string }[] = [];

  constructor(
    private readonly metrics: Metrics,
    private readonly traces: TraceBus,
    readonly now: string,
  ) {}

  duplicate(pipelineId: string, messageId: string): void {
    this.drops.push({ messageId, pipelineId, reason: 'duplicate messageId', at: this.now });
    this.metrics.eventsDropped.inc({ integration: '', reason: 'duplicate' });
    this.traces.emit({ stage: 'duplicate', pipelineId, messageIds: [messageId], detail: {} });
  }

  /** An event whose processing threw: recorded as a drop so it is visible, not retried. */
  failed(stored: StoredEvent, error: unknown): void {
    const reason = `processing failed: ${error instanceof Error ? error.message : String(error)}`;
    this.drops.push({
      messageId: stored.event.messageId,
      pipelineId: stored.pipelineId,
      reason,
      at: this.now,
    });
    this.metrics.eventsDropped.inc({ integration: '', reason: 'processing failed' });
    this.traces.emit({
      stage: 'dropped',
      pipelineId: stored.pipelineId,
      messageIds: [stored.event.messageId],
      detail: { reason },
    });
  }

  drop(
    where: { pipelineId: string; integrationId: string; messageId: string },
    reason: string,
    warnings: string[] = [],
  ): void {
    const { pipelineId, integrationId, messageId } = where;
    this.drops.push({ messageId, pipelineId, integrationId, reason, at: this.now });
    this.metrics.eventsDropped.inc({ integration: integrationId, reason: dropLabel(reason) });
    this.traces.emit({
      stage: 'dropped',
      pipelineId,
      integrationId,
      messageIds: [messageId],
      detail: { reason, warnings },
    });
  }

  intent(
    pipelineId: string,
    intent: IntentInput,
    detail: { warnings: string[]; optOut: boolean },
  ): void {
    this.intents.push(intent);
    this.metrics.eventsPlanned.inc({ integration: intent.integrationId });
    this.traces.emit({
      stage: 'planned',
      pipelineId,
      integrationId: intent.integrationId,
      messageIds: [intent.messageId],
      profileKey: intent.profileKey,
      detail: { attributes: intent.attributes, ...detail },
    });
  }

  /** Reports what the queue did with each intent; returns the integrations with new work. */
  settle(fates: IntentFate[]): Set<string> {
    const queued = new Set<string>();

    this.intents.forEach((intent, index) => {
      const fate = fates[index] ?? 'queued';
      this.metrics.intents.inc({ integration: intent.integrationId, fate });
      if (fate !== 'unchanged') queued.add(intent.integrationId);
      if (fate === 'queued') return;

      this.traces.emit({
        stage: fate === 'merged' ? 'coalesced' : 'unchanged',
        integrationId: intent.integrationId,
        messageIds: [intent.messageId],
        profileKey: intent.profileKey,
        detail: {},
      });
    });
    return queued;
  }
}

/** A low-cardinality metric label for a drop reason. */
function dropLabel(reason: string): string {
  if (reason.startsWith('consent')) return 'consent';
  if (reason.startsWith('no usable')) return 'no key';
  if (reason.includes('not mapped')) return 'not mapped';
  if (reason.startsWith('integration')) return 'integration inactive';
  return 'other';
}
