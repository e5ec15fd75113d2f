/**
 * What processing decided for one batch of events: the dedupe marks, drops and delivery
 * intents to commit. The matching metrics and debugger traces are held back until the batch is
 * committed (`settle`), so that a commit that fails and is tried again is not counted twice.
 */
import type { Metrics } from '../observability/metrics.js';
import type { TraceBus } from '../observability/trace.js';
import type { DropRecord, IntentFate, IntentInput, StoredEvent } from '../store/types.js';

/** The event and integration a drop is for. */
type DropWhere = { pipelineId: string; integrationId: string; messageId: string };

export class BatchDecisions {
  readonly intents: IntentInput[] = [];
  readonly drops: DropRecord[] = [];
  readonly seen: { pipelineId: string; messageId: string }[] = [];
  /** Metrics and traces of the decisions, in the order they were made. */
  private readonly reports: (() => void)[] = [];

  constructor(
    private readonly metrics: Metrics,
    private readonly traces: TraceBus,
    readonly now: string,
  ) {}

  received({ pipelineId, event }: StoredEvent): void {
    this.reports.push(() =>
      this.traces.emit({
        stage: 'received',
        pipelineId,
        messageIds: [event.messageId],
        detail: { event },
      }),
    );
  }

  duplicate(pipelineId: string, messageId: string): void {
    const drop = { messageId, pipelineId, reason: 'duplicate messageId', at: this.now };
    this.record(drop, 'duplicate', 'duplicate', {});
  }

  /** An event of a pipeline that no longer exists: nothing can route it. */
  unrouted(pipelineId: string, messageId: string): void {
    const reason = `pipeline ${pipelineId} not found`;
    this.record({ messageId, pipelineId, reason, at: this.now }, 'pipeline not found');
  }

  /** An event whose processing threw: recorded as a drop so it is visible, not retried. */
  failed(stored: StoredEvent, error: unknown): void {
    const reason = `processing failed: ${error instanceof Error ? error.message : String(error)}`;
    const { pipelineId, event } = stored;
    this.record(
      { messageId: event.messageId, pipelineId, reason, at: this.now },
      'processing failed',
    );
  }

  /**
   * The event does not go to this integration, for a reason its planning gave; the metric's
   * low-cardinality label is read from that reason (consent, no key, not mapped).
   */
  drop(where: DropWhere, reason: string, warnings: string[] = []): void {
    this.dropFor(where, reason, planningDropLabel(reason), warnings);
  }

  /** An integration of the pipeline that cannot take events: disabled, broken or not found. */
  inactive(where: DropWhere, problem: string): void {
    this.dropFor(where, `integration ${problem}`, 'integration inactive');
  }

  /** An integration whose planning threw: the event is dropped for it alone. */
  planningFailed(where: DropWhere, message: string): void {
    this.dropFor(where, `planning failed: ${message}`, 'planning failed');
  }

  intent(
    pipelineId: string,
    intent: IntentInput,
    detail: { warnings: string[]; optOut: boolean },
  ): void {
    this.intents.push(intent);
    this.reports.push(() => {
      this.metrics.eventsPlanned.inc({ integration: intent.integrationId });
      this.traces.emit({
        stage: 'planned',
        pipelineId,
        integrationId: intent.integrationId,
        messageIds: [intent.messageId],
        profileKey: intent.profileKey,
        detail: { attributes: intent.attributes, ...detail },
      });
    });
  }

  /** A drop for one integration, whose trace shows the reason and the planning's warnings. */
  private dropFor(where: DropWhere, reason: string, label: string, warnings: string[] = []): void {
    this.record({ ...where, reason, at: this.now }, label, 'dropped', { reason, warnings });
  }

  /** Keeps a drop for the commit, and its metric and trace for after it. */
  private record(
    drop: DropRecord,
    label: string,
    stage: 'dropped' | 'duplicate' = 'dropped',
    detail: Record<string, unknown> = { reason: drop.reason },
  ): void {
    this.drops.push(drop);
    this.reports.push(() => {
      this.metrics.eventsDropped.inc({ integration: drop.integrationId ?? '', reason: label });
      this.traces.emit({
        stage,
        pipelineId: drop.pipelineId,
        ...(drop.integrationId === undefined ? {} : { integrationId: drop.integrationId }),
        messageIds: [drop.messageId],
        detail,
      });
    });
  }

  /**
   * After the commit: reports every decision, then what the queue did with each intent;
   * returns the integrations with new work.
   */
  settle(fates: IntentFate[]): Set<string> {
    for (const report of this.reports) report();
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

/** The metric label of a reason an integration's planning gave for dropping an event. */
function planningDropLabel(reason: string): string {
  if (reason.startsWith('consent')) return 'consent';
  if (reason.startsWith('no usable')) return 'no key';
  if (reason.includes('not mapped')) return 'not mapped';
  return 'other';
}
