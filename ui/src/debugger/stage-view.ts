/**
 * How one trace reads in the Event Debugger: a short chip for the row summary, and a block with
 * its details (planned attributes, drop reason, the exact vendor request and answer). Every
 * value comes from event data or a vendor and is rendered as text.
 */
import type { Exchange, Trace } from '../api/types.js';
import { badge } from '../components/feedback.js';
import { formatClock, h, prettyJson } from '../dom.js';
import { isObject } from './feed-model.js';

/** Vendor answers can be large pages; the debugger shows the start. */
const MAX_BODY_CHARS = 2_000;

type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

const TONES: Record<Trace['stage'], Tone> = {
  received: 'neutral',
  duplicate: 'neutral',
  planned: 'neutral',
  dropped: 'warn',
  coalesced: 'neutral',
  unchanged: 'neutral',
  delivered: 'ok',
  retried: 'warn',
  dead_lettered: 'bad',
};

export function stageChip(trace: Trace, integrationName?: string): HTMLElement {
  const status = numberOf(trace.detail.status);
  const latency = numberOf(trace.detail.latencyMs);
  const stage = trace.stage.replace('_', '-');
  const extra = [status, latency !== undefined ? `${latency} ms` : undefined]
    .filter((part) => part !== undefined)
    .join(' · ');
  const label = `${integrationName ? `${integrationName}: ` : ''}${stage}${extra ? ` ${extra}` : ''}`;
  return h('li', null, badge(label, TONES[trace.stage]));
}

export function stageBlock(trace: Trace): HTMLElement {
  const tone = TONES[trace.stage];
  return h(
    'div',
    { class: `stage-block ${tone === 'neutral' ? '' : tone}` },
    h(
      'p',
      null,
      h('strong', null, heading(trace)),
      ' ',
      h('span', { class: 'muted small' }, formatClock(trace.at)),
    ),
    ...body(trace),
  );
}

function heading(trace: Trace): string {
  const d = trace.detail;
  const key = trace.profileKey ? ` for ${trace.profileKey}` : '';
  switch (trace.stage) {
    case 'received':
      return `Received${trace.pipelineId ? ` on pipeline ${trace.pipelineId}` : ''}`;
    case 'duplicate':
      return 'Duplicate message id: ignored';
    case 'planned':
      return `Planned: profile write${key}`;
    case 'dropped':
      return `Dropped: ${typeof d.reason === 'string' ? d.reason : 'no reason given'}`;
    case 'coalesced':
      return `Coalesced into the write already waiting${key}`;
    case 'unchanged':
      return `Unchanged${key}: same attributes as last delivered, no call made`;
    case 'delivered':
      return `Delivered${key}: vendor answered ${numberOf(d.status) ?? '?'}${latencyText(d)}`;
    case 'retried':
      return `Failed, will retry${retryText(d)}${latencyText(d)}`;
    case 'dead_lettered':
      return `Dead-lettered${key}: gave up after attempt ${numberOf(d.attempt) ?? '?'}`;
  }
}

function body(trace: Trace): Node[] {
  const d = trace.detail;
  const nodes: Node[] = [];

  if (trace.stage === 'received' && d.event !== undefined) nodes.push(json('Event', d.event));
  if (trace.stage === 'planned' && d.attributes !== undefined) {
    nodes.push(json('Attributes to write', d.attributes));
  }
  const warnings = Array.isArray(d.warnings) ? d.warnings.filter((w) => typeof w === 'string') : [];
  if (warnings.length > 0) {
    nodes.push(
      h(
        'ul',
        { class: 'small' },
        warnings.map((w) => h('li', null, `Warning: ${w}`)),
      ),
    );
  }
  if (trace.messageIds.length > 1 && isDelivery(trace)) {
    nodes.push(
      h(
        'p',
        { class: 'small muted' },
        `This call carried ${trace.messageIds.length} events, coalesced.`,
      ),
    );
  }
  if (isObject(d.error)) nodes.push(errorView(d.error));
  if (Array.isArray(d.exchanges)) {
    for (const exchange of d.exchanges)
      if (isObject(exchange)) nodes.push(exchangeView(exchange as Exchange));
  }
  return nodes;
}

function isDelivery(trace: Trace): boolean {
  return (
    trace.stage === 'delivered' || trace.stage === 'retried' || trace.stage === 'dead_lettered'
  );
}

function errorView(error: Record<string, unknown>): HTMLElement {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return h(
    'div',
    { class: 'notice notice-bad small' },
    h('strong', null, text(error.code) ?? 'Error'),
    ': ',
    text(error.message) ?? '',
    text(error.hint) ? h('p', null, h('strong', null, 'Hint: '), text(error.hint)) : null,
  );
}

/** One HTTP exchange with the vendor: the exact request sent and what came back. */
function exchangeView(exchange: Exchange): HTMLElement {
  const request = exchange.request ?? {};
  const response = exchange.response;
  const status = response ? `${response.status}` : exchange.error ? 'no answer' : '?';
  // Traces say latencyMs (as the stages emit them); the deliveries endpoint says latency_ms.
  const ms = exchange.latencyMs ?? exchange.latency_ms;
  const latency = typeof ms === 'number' ? ` in ${ms} ms` : '';

  return h(
    'div',
    { class: 'exchange' },
    h(
      'p',
      { class: 'mono small' },
      `${request.method ?? '?'} ${request.url ?? ''}`,
      ' → ',
      badge(status, response && response.status < 300 ? 'ok' : 'bad'),
      latency,
    ),
    exchange.error ? h('p', { class: 'small' }, `Error: ${exchange.error}`) : null,
    request.body !== undefined && request.body !== '' ? json('Request body', request.body) : null,
    request.headers ? json('Request headers (credentials masked)', request.headers, true) : null,
    response?.body ? json(`Response body (${response.status})`, trimmed(response.body)) : null,
  );
}

/** A titled JSON block; a figure, so its title is its accessible name. */
function json(title: string, value: unknown, collapsed = false): HTMLElement {
  const pre = h('pre', { class: 'json' }, prettyJson(value));
  if (collapsed) return h('details', null, h('summary', { class: 'small' }, title), pre);
  return h(
    'figure',
    { class: 'json-block' },
    h('figcaption', { class: 'small muted' }, title),
    pre,
  );
}

function trimmed(body: string): string {
  return body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}… (trimmed)` : body;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function latencyText(detail: Record<string, unknown>): string {
  const latency = numberOf(detail.latencyMs);
  return latency === undefined ? '' : ` in ${latency} ms`;
}

function retryText(detail: Record<string, unknown>): string {
  const status = numberOf(detail.status);
  const delay = numberOf(detail.retryInMs);
  const answered = status ? ` (vendor answered ${status})` : '';
  const next = delay === undefined ? '' : `, next try in ${Math.round(delay / 100) / 10} s`;
  return `${answered}${next}`;
}
