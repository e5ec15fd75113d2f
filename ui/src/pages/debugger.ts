/**
 * Event Debugger: every event as it moves through Signal — received, planned or dropped per
 * integration, coalesced, delivered with the exact vendor request and answer — live over a
 * WebSocket, after the most recent traces. Filters apply on the server; Pause holds new traces
 * back without losing them.
 */
import { queryString } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Trace, TraceFilter } from '../api/types.js';
import { selectField, textField } from '../components/form.js';
import { h, replace } from '../dom.js';
import { eventRow, type EventRow } from '../debugger/event-row.js';
import { FeedModel } from '../debugger/feed-model.js';
import { LiveFeed, type FeedState } from '../debugger/live-feed.js';
import { pageHeader } from '../layout.js';
import { href, type RouteContext } from '../router.js';

const RECENT = 100;
const TYPING_PAUSE_MS = 400;

export async function renderDebugger(main: HTMLElement, context: RouteContext) {
  const [pipelines, integrations] = await Promise.all([
    api.pipelines(context.signal),
    api.integrations(context.signal),
  ]);
  const names = new Map(integrations.data.map((i) => [i.id, i.name]));
  const nameOf = (id: string) => names.get(id) ?? id;

  const filters = {
    pipeline: selectField({
      label: 'Pipeline',
      name: 'pipeline',
      choices: [
        { value: '', label: 'All pipelines' },
        ...pipelines.data.map((p) => ({ value: p.id, label: p.name })),
      ],
      value: context.query.get('pipeline') ?? '',
    }),
    integration: selectField({
      label: 'Integration',
      name: 'integration',
      choices: [
        { value: '', label: 'All integrations' },
        ...integrations.data.map((i) => ({ value: i.id, label: i.name })),
      ],
      value: context.query.get('integration') ?? '',
    }),
    type: textField({
      label: 'Event type',
      name: 'type',
      type: 'search',
      placeholder: 'identify, Signed Up…',
      value: context.query.get('type') ?? '',
    }),
    user: textField({
      label: 'User',
      name: 'user',
      type: 'search',
      placeholder: 'userId or anonymousId',
      value: context.query.get('user') ?? '',
    }),
    email: textField({
      label: 'E-mail',
      name: 'email',
      type: 'search',
      placeholder: 'jane@example.com',
      value: context.query.get('email') ?? '',
    }),
  };
  const readFilter = (): TraceFilter => ({
    pipeline: filters.pipeline.control.value,
    integration: filters.integration.control.value,
    type: filters.type.control.value.trim(),
    user: filters.user.control.value.trim(),
    email: filters.email.control.value.trim(),
  });

  const state = h('p', { class: 'muted small', attrs: { role: 'status', 'aria-live': 'polite' } });
  const pause = h('button', { class: 'btn', attrs: { type: 'button' } }, 'Pause');
  const clear = h('button', { class: 'btn', attrs: { type: 'button' } }, 'Clear');
  const feed = h('ol', { class: 'feed', attrs: { 'aria-label': 'Events, newest first' } });
  const empty = h(
    'p',
    { class: 'empty' },
    'Waiting for events… Send one from your site or with curl.',
  );

  const model = new FeedModel();
  const rows = new Map<string, EventRow>();
  let held: Trace[] = [];
  let paused = false;
  /** Live traces that arrive while the recent ones load wait here, to keep the order. */
  let early: Trace[] | undefined;
  let feedState: FeedState = 'connecting';
  let generation = 0;

  const showState = (detail?: string) => {
    const text: Record<FeedState, string> = {
      connecting: 'Connecting…',
      live: 'Live',
      reconnecting: 'Connection lost, reconnecting',
      'signed-out': 'Your session ended: sign in again to resume.',
      closed: 'Stopped',
    };
    const heldText = paused
      ? ` · paused, ${held.length} new trace${held.length === 1 ? '' : 's'} held`
      : '';
    state.textContent = `${text[feedState]}${detail ? ` (${detail})` : ''}${heldText}`;
  };

  const apply = (trace: Trace) => {
    for (const { entry, created } of model.add(trace)) {
      const existing = rows.get(entry.messageId);
      if (existing && !created) {
        existing.update(entry);
        continue;
      }
      const row = eventRow(entry, nameOf);
      rows.set(entry.messageId, row);
      feed.prepend(row.element);
    }
    for (const messageId of model.trim()) {
      rows.get(messageId)?.element.remove();
      rows.delete(messageId);
    }
    empty.hidden = rows.size > 0;
  };

  const live = new LiveFeed({
    onTrace: (trace) => {
      if (early) early.push(trace);
      else if (paused) {
        held.push(trace);
        showState();
      } else apply(trace);
    },
    onState: (next, detail) => {
      feedState = next;
      showState(detail);
      // The API answers 401 for an ended session, which takes the user to the sign-in page.
      if (next === 'signed-out') void api.me().catch(() => undefined);
    },
  });

  const reset = () => {
    model.clear();
    rows.clear();
    held = [];
    feed.replaceChildren();
    empty.hidden = false;
  };

  /** Starts over with the current filter: recent traces first, then whatever arrives live. */
  const reload = async () => {
    const mine = ++generation;
    const filter = readFilter();
    // The filter lives in the address too, so a filtered view can be bookmarked or shared.
    history.replaceState(null, '', `${href('/debugger')}${queryString({ ...filter })}`);
    reset();
    early = [];
    live.setFilter(filter);
    const recent = await api
      .recentTraces({ ...filter, limit: RECENT }, context.signal)
      .catch(() => ({ data: [] as Trace[] }));
    if (mine !== generation) return;

    const arrived = early;
    early = undefined;
    for (const trace of [...recent.data, ...arrived]) {
      if (paused) held.push(trace);
      else apply(trace);
    }
    showState();
  };

  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) {
      const backlog = held;
      held = [];
      backlog.forEach(apply);
    }
    showState();
  });
  clear.addEventListener('click', () => {
    reset();
    showState();
  });

  let typing: ReturnType<typeof setTimeout> | undefined;
  const onFilter = () => {
    clearTimeout(typing);
    typing = setTimeout(() => void reload(), TYPING_PAUSE_MS);
  };
  for (const field of Object.values(filters)) {
    field.control.addEventListener('input', onFilter);
    field.control.addEventListener('change', onFilter);
  }

  main.append(
    pageHeader('Event Debugger', {
      lead: 'Each event as Signal processes it. Open a row for the envelope and the exact vendor calls.',
      actions: [pause, clear],
    }),
    h(
      'form',
      {
        class: 'toolbar',
        attrs: { role: 'search', 'aria-label': 'Filter events' },
        on: { submit: (e) => e.preventDefault() },
      },
      Object.values(filters).map((field) => field.element),
    ),
    state,
    empty,
    feed,
  );

  live.start(readFilter());
  await reload();
  return () => {
    clearTimeout(typing);
    live.close();
    replace(feed);
  };
}
