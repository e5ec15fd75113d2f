/**
 * The Overview chart: per minute, what happened to events — delivered, failed and dropped as
 * stacked bars, received as a line over them, so a gap between the line and the bars shows work
 * still queued. Drawn as SVG with a text summary and a data table for screen readers.
 */
import { h, svg, uniqueId } from '../dom.js';

export interface MinuteCounts {
  /** Start of the minute, ISO 8601. */
  at: string;
  received: number;
  delivered: number;
  failed: number;
  dropped: number;
}

export const SERIES = ['received', 'delivered', 'failed', 'dropped'] as const;
export type Series = (typeof SERIES)[number];

const STACKED: Series[] = ['delivered', 'failed', 'dropped'];
const COLOURS: Record<Series, string> = {
  received: 'var(--series-received)',
  delivered: 'var(--series-delivered)',
  failed: 'var(--series-failed)',
  dropped: 'var(--series-dropped)',
};

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 44 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

export function outcomeChart(title: string, points: MinuteCounts[]): HTMLElement {
  const titleId = uniqueId('chart-title');
  const descId = uniqueId('chart-desc');
  const ticks = axisTicks(Math.max(1, ...points.map((p) => Math.max(p.received, stackTotal(p)))));
  const max = ticks.at(-1) ?? 1;
  const slot = PLOT_W / Math.max(points.length, 1);
  const y = (value: number) => PAD.top + PLOT_H - (value / max) * PLOT_H;

  const chart = svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
    },
    svg('title', { id: titleId }, title),
    svg('desc', { id: descId }, summarise(points)),
    yAxis(ticks, y),
    xAxis(points, slot),
    points.map((point, index) => minuteBars(point, index, slot, y)),
    receivedLine(points, slot, y),
  );

  const box = h('div', { class: 'chart-box' }, chart);
  attachTooltip(box, chart, points, slot);
  return h('figure', { class: 'chart-figure' }, box, legend());
}

function stackTotal(point: MinuteCounts): number {
  return point.delivered + point.failed + point.dropped;
}

/** A round tick step (1, 2 or 5 times a power of ten, at least 1: counts are whole). */
export function niceStep(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** The axis: about four whole-number steps from 0 to at least `value`. */
export function axisTicks(value: number): number[] {
  const step = niceStep(value / 4);
  const top = step * Math.max(1, Math.ceil(value / step));
  const ticks: number[] = [];
  for (let tick = 0; tick <= top; tick += step) ticks.push(tick);
  return ticks;
}

function yAxis(ticks: number[], y: (value: number) => number): SVGGElement {
  return svg(
    'g',
    { class: 'axis', 'aria-hidden': 'true' },
    ticks.map((tick) => [
      svg('line', {
        class: 'grid-line',
        x1: PAD.left,
        x2: WIDTH - PAD.right,
        y1: y(tick),
        y2: y(tick),
      }),
      svg('text', { x: PAD.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, tick.toLocaleString()),
    ]),
    svg(
      'text',
      {
        x: 10,
        y: PAD.top + PLOT_H / 2,
        transform: `rotate(-90 10 ${PAD.top + PLOT_H / 2})`,
        'text-anchor': 'middle',
      },
      'events / min',
    ),
  );
}

function xAxis(points: MinuteCounts[], slot: number): SVGGElement {
  const every = Math.max(1, Math.ceil(points.length / 6));
  return svg(
    'g',
    { class: 'axis', 'aria-hidden': 'true' },
    points.map((point, index) =>
      index % every === 0 || index === points.length - 1
        ? svg(
            'text',
            { x: PAD.left + index * slot + slot / 2, y: HEIGHT - 8, 'text-anchor': 'middle' },
            clock(point.at),
          )
        : null,
    ),
  );
}

function minuteBars(
  point: MinuteCounts,
  index: number,
  slot: number,
  y: (value: number) => number,
): SVGGElement {
  const x = PAD.left + index * slot + Math.min(1, slot * 0.1);
  const width = Math.max(1, slot - Math.min(2, slot * 0.2));
  let base = 0;
  const bars = STACKED.map((series) => {
    const value = point[series];
    if (value === 0) return null;
    const top = y(base + value);
    const bottom = y(base);
    base += value;
    return svg('rect', {
      class: 'bar',
      x,
      y: top,
      width,
      height: bottom - top,
      fill: COLOURS[series],
    });
  });
  return svg('g', {}, svg('title', {}, describeMinute(point)), bars);
}

function receivedLine(
  points: MinuteCounts[],
  slot: number,
  y: (value: number) => number,
): SVGPathElement {
  const d = points
    .map(
      (point, index) =>
        `${index === 0 ? 'M' : 'L'}${PAD.left + index * slot + slot / 2},${y(point.received)}`,
    )
    .join(' ');
  return svg('path', {
    d,
    fill: 'none',
    stroke: COLOURS.received,
    'stroke-width': 2,
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
  });
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', attrs: { 'aria-label': 'Legend' } },
    SERIES.map((series) =>
      h(
        'li',
        null,
        h('span', { class: `swatch swatch-${series}`, attrs: { 'aria-hidden': 'true' } }),
        series === 'received' ? 'received (line)' : series,
      ),
    ),
  );
}

/** A floating tooltip for the minute under the pointer; the `<title>`s remain as fallback. */
function attachTooltip(
  box: HTMLElement,
  chart: SVGSVGElement,
  points: MinuteCounts[],
  slot: number,
): void {
  const tip = h('div', { class: 'chart-tooltip', attrs: { 'aria-hidden': 'true', hidden: true } });
  box.append(tip);

  chart.addEventListener('mousemove', (event) => {
    const bounds = chart.getBoundingClientRect();
    const scale = WIDTH / bounds.width;
    const index = Math.floor(((event.clientX - bounds.left) * scale - PAD.left) / slot);
    const point = points[index];
    if (!point) {
      tip.hidden = true;
      return;
    }
    tip.textContent = describeMinute(point);
    tip.hidden = false;
    const left = Math.min(event.clientX - bounds.left + 12, bounds.width - tip.offsetWidth - 4);
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, event.clientY - bounds.top - tip.offsetHeight - 8)}px`;
  });
  chart.addEventListener('mouseleave', () => {
    tip.hidden = true;
  });
}

export function describeMinute(point: MinuteCounts): string {
  return (
    `${clock(point.at)}\nreceived ${point.received}, delivered ${point.delivered}, ` +
    `failed ${point.failed}, dropped ${point.dropped}`
  );
}

function summarise(points: MinuteCounts[]): string {
  const total = (series: Series) => points.reduce((sum, point) => sum + point[series], 0);
  return (
    `Last ${points.length} minutes: ${total('received')} received, ${total('delivered')} ` +
    `delivered, ${total('failed')} failed, ${total('dropped')} dropped.`
  );
}

function clock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
}
