/**
 * The debugger's WebSocket (`/v1/admin/debugger/ws`), authenticated by the session cookie. It
 * re-sends the current filter on every (re)connection and reconnects with backoff, except when
 * the server closes with 4401 (session ended).
 */
import { API_BASE } from '../api/client.js';
import type { Trace, TraceFilter } from '../api/types.js';

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'signed-out' | 'closed';

export interface LiveFeedOptions {
  onTrace(trace: Trace): void;
  onState(state: FeedState, detail?: string): void;
}

const SESSION_ENDED = 4401;
const MAX_BACKOFF_MS = 10_000;

export class LiveFeed {
  private socket: WebSocket | undefined;
  private filter: TraceFilter = {};
  private closed = false;
  private backoffMs = 500;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: LiveFeedOptions) {}

  start(filter: TraceFilter): void {
    this.filter = filter;
    this.connect();
  }

  setFilter(filter: TraceFilter): void {
    this.filter = filter;
    this.send();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close(1000, 'page left');
    this.options.onState('closed');
  }

  private connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}${API_BASE}/debugger/ws`);
    this.socket = socket;
    this.options.onState(this.backoffMs > 500 ? 'reconnecting' : 'connecting');

    socket.addEventListener('open', () => {
      this.backoffMs = 500;
      this.send();
      this.options.onState('live');
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', (event) => {
      if (this.closed || socket !== this.socket) return;
      if (event.code === SESSION_ENDED) return this.options.onState('signed-out');

      this.options.onState('reconnecting', `retrying in ${Math.round(this.backoffMs / 1000)} s`);
      this.timer = setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    });
  }

  private send(): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    const filter = Object.fromEntries(
      Object.entries(this.filter).map(([name, value]) => [name, value || null]),
    );
    this.socket.send(JSON.stringify({ filter }));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (isTrace(message)) this.options.onTrace(message);
  }
}

function isTrace(value: unknown): value is Trace {
  if (typeof value !== 'object' || value === null) return false;
  const trace = value as Partial<Trace>;
  return (
    typeof trace.stage === 'string' &&
    Array.isArray(trace.messageIds) &&
    typeof trace.detail === 'object' &&
    trace.detail !== null
  );
}
