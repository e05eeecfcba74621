import { css, html, unsafeCSS } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css' with { type: 'text' };
import { formatDateTime } from '../../format.js';
import { TIME_ZONE, t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import type { ChannelLimit, StationSeries } from './environment-api.js';

/** Emitted when the user drags across the chart: the range to fetch at a finer resolution. */
export type ZoomEvent = CustomEvent<{ from: number; to: number }>;
/** Emitted after uPlot drew new data: how many points, for tests and the benchmark. */
export type DrawnEvent = CustomEvent<{ points: number }>;

const LIMIT_COLOURS = ['#a4161a', '#c05600', '#6a3d9a'];
const MIN_DRAG_PX = 8;

/** Ticks in Vietnamese style: 24-hour times within two days, dd/mm beyond (Asia/Ho_Chi_Minh). */
function tickLabels(splits: number[]): string[] {
  const first = splits[0] ?? 0;
  const last = splits[splits.length - 1] ?? first;
  const span = last - first;
  return splits.map((ts, i) => {
    const full = formatDateTime(ts);
    const [date = '', time = ''] = full.split(' ');
    if (span > 2 * 86_400_000) return date.slice(0, 5);
    return i === 0 || time === '00:00' ? `${time}\n${date.slice(0, 5)}` : time;
  });
}

function limitValues(l: ChannelLimit): number[] {
  return Array.isArray(l.limit) ? [...l.limit] : [l.limit];
}

/**
 * One parameter over time: the mean as a line, min–max as a band, QCVN limits as dashed lines. uPlot
 * draws on canvas (a year of hourly buckets in milliseconds); its stylesheet is bundled as text.
 */
@customElement('xs-station-chart')
export class XsStationChart extends LocalizedElement {
  static override styles = [
    unsafeCSS(uplotCss),
    css`
      :host {
        display: block;
        min-height: 320px;
      }
      .plot {
        width: 100%;
      }
      .uplot {
        font-family: inherit;
      }
    `,
  ];

  @property({ attribute: false }) series: StationSeries | undefined;
  @property({ attribute: false }) limits: ChannelLimit[] = [];
  @property() label = '';
  @property() unit = '';

  private plot: uPlot | undefined;
  private resize: ResizeObserver | undefined;
  private pendingDraw = false;
  /** Axis label and legend are fixed at creation: another parameter gets a new plot. */
  private builtFor = '';

  override render() {
    return html`<div class="plot" role="img" aria-label=${this.label}></div>`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private get box(): HTMLElement | null {
    return this.renderRoot.querySelector('.plot');
  }

  /** Limits drawn only when near the data: a CO limit 30 times the readings would flatten the curve. */
  private visibleLimits(max: number): { value: number; limit: ChannelLimit }[] {
    return this.limits.flatMap((limit) =>
      limitValues(limit)
        .filter((value) => value <= Math.max(max, 1) * 2.5)
        .map((value) => ({ value, limit })),
    );
  }

  private data(): uPlot.AlignedData {
    const s = this.series;
    const f = s?.fields[0];
    if (!s || !f) return [[], [], [], []];
    return [s.times, f.mean, f.min, f.max] as unknown as uPlot.AlignedData;
  }

  private dataMax(): number {
    let max = Number.NEGATIVE_INFINITY;
    for (const v of this.series?.fields[0]?.max ?? []) if (v !== null && v > max) max = v;
    return max === Number.NEGATIVE_INFINITY ? 1 : max;
  }

  private create(box: HTMLElement): uPlot {
    const width = Math.max(280, box.clientWidth);
    const opts: uPlot.Options = {
      width,
      height: width < 500 ? 260 : 340,
      ms: 1,
      tzDate: (ts) => uPlot.tzDate(new Date(ts), TIME_ZONE),
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { show: true },
      scales: {
        y: {
          range: (_u, min, max) => {
            const lines = this.visibleLimits(max).map((l) => l.value);
            const lo = Math.min(min, ...lines);
            const hi = Math.max(max, ...lines);
            const pad = (hi - lo) * 0.08 || 1;
            return [lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad];
          },
        },
      },
      axes: [
        { values: (_u, splits) => tickLabels(splits), space: 70 },
        { label: this.unit, size: 60 },
      ],
      series: [
        { label: t('env.col.time'), value: (_u, v) => (v === null ? '—' : formatDateTime(v)) },
        { label: t('env.chart.mean'), stroke: '#0b5c8a', width: 2, spanGaps: false },
        { label: t('env.chart.min'), stroke: '#7fa7c4', width: 1 },
        { label: t('env.chart.max'), stroke: '#7fa7c4', width: 1 },
      ],
      bands: [{ series: [3, 2], fill: 'rgba(11, 92, 138, 0.12)' }],
      hooks: {
        setSelect: [(u) => this.zoom(u)],
        draw: [(u) => this.drawLimits(u)],
      },
    };
    const plot = new uPlot(opts, this.data(), box);
    this.resize = new ResizeObserver(() => {
      const w = Math.max(280, box.clientWidth);
      if (Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: w < 500 ? 260 : 340 });
    });
    this.resize.observe(box);
    return plot;
  }

  private zoom(u: uPlot): void {
    if (u.select.width < MIN_DRAG_PX) return;
    const from = u.posToVal(u.select.left, 'x');
    const to = u.posToVal(u.select.left + u.select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.dispatchEvent(new CustomEvent('zoom', { detail: { from, to }, bubbles: true, composed: true }));
  }

  private drawLimits(u: uPlot): void {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const { left, width } = u.bbox;
    this.visibleLimits(this.dataMax()).forEach(({ value, limit }, i) => {
      const y = Math.round(u.valToPos(value, 'y', true));
      const colour = LIMIT_COLOURS[i % LIMIT_COLOURS.length] ?? '#a4161a';
      ctx.save();
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash([8 * dpr, 6 * dpr]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.font = `${12 * dpr}px system-ui, sans-serif`;
      // uPlot leaves the axes' alignment on the context.
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      const text = `${limit.standard.split('/')[0]} ${t('env.chart.limit', { averaging: t(`env.averaging.${limit.averaging}`) })}: ${value}`;
      ctx.fillText(text, left + 6 * dpr, y - 5 * dpr);
      ctx.restore();
    });
    if (this.pendingDraw) {
      this.pendingDraw = false;
      const points = this.series?.times.length ?? 0;
      this.dataset.points = String(points);
      this.dispatchEvent(new CustomEvent('drawn', { detail: { points }, bubbles: true, composed: true }));
    }
  }

  override updated(): void {
    const box = this.box;
    if (!box) return;
    this.pendingDraw = true;
    const key = `${this.label}|${this.unit}`;
    if (this.plot && this.builtFor !== key) {
      this.resize?.disconnect();
      this.plot.destroy();
      this.plot = undefined;
    }
    if (!this.plot) {
      this.builtFor = key;
      this.plot = this.create(box);
    } else this.plot.setData(this.data(), true);
  }
}
