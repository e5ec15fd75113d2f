/**
 * One row of the Event Debugger: a summary line (time, event, who, the stage of each
 * integration) that expands into the envelope and each integration's stages. Updating a row
 * keeps it open if the user opened it.
 */
import type { Trace } from '../api/types.js';
import { formatClock, h, replace } from '../dom.js';
import { eventLabel, eventWho, type EventEntry } from './feed-model.js';
import { stageBlock, stageChip } from './stage-view.js';

export interface EventRow {
  element: HTMLLIElement;
  update(entry: EventEntry): void;
}

export function eventRow(entry: EventEntry, nameOf: (integrationId: string) => string): EventRow {
  const summary = h('summary');
  const body = h('div', { class: 'event-body' });
  const details = h('details', null, summary, body);
  const element = h(
    'li',
    { class: 'event-row', attrs: { 'data-message-id': entry.messageId } },
    details,
  );

  // The body is drawn only while open: a busy feed would otherwise build hundreds of <pre>s.
  let current = entry;
  details.addEventListener('toggle', () => {
    if (details.open) drawBody(body, current, nameOf);
  });

  const update = (next: EventEntry) => {
    current = next;
    drawSummary(summary, next, nameOf);
    if (details.open) drawBody(body, next, nameOf);
  };
  update(entry);
  return { element, update };
}

function drawSummary(
  summary: HTMLElement,
  entry: EventEntry,
  nameOf: (id: string) => string,
): void {
  const who = eventWho(entry.event, entry);
  replace(
    summary,
    h('span', { class: 'muted small mono' }, formatClock(entry.firstSeen)),
    h('span', { class: 'event-name' }, eventLabel(entry.event)),
    who ? h('span', { class: 'small' }, who) : null,
    h(
      'ul',
      { class: 'stages', attrs: { 'aria-label': 'Stages' } },
      latestPerIntegration(entry.traces).map((trace) =>
        stageChip(trace, trace.integrationId ? nameOf(trace.integrationId) : undefined),
      ),
    ),
  );
}

/**
 * The chips: `received`, then the latest stage reached by each integration, so a row reads
 * "received · Actito: delivered 200" rather than listing every step.
 */
function latestPerIntegration(traces: Trace[]): Trace[] {
  const received = traces.find((t) => t.stage === 'received' || t.stage === 'duplicate');
  const latest = new Map<string, Trace>();
  for (const trace of traces) {
    if (trace.stage === 'received') continue;
    latest.set(trace.integrationId ?? '', trace);
  }
  return [...(received ? [received] : []), ...latest.values()];
}

function drawBody(body: HTMLElement, entry: EventEntry, nameOf: (id: string) => string): void {
  const general = entry.traces.filter((t) => !t.integrationId);
  const integrations = [
    ...new Set(entry.traces.map((t) => t.integrationId).filter(Boolean)),
  ] as string[];

  replace(
    body,
    h('p', { class: 'small muted' }, `Message id ${entry.messageId}`),
    general.map((trace) => stageBlock(trace)),
    integrations.map((id) =>
      h(
        'section',
        null,
        h('h3', null, nameOf(id)),
        entry.traces.filter((t) => t.integrationId === id).map((trace) => stageBlock(trace)),
      ),
    ),
  );
}
