import type { Status } from '@xaso/device-profiles/contract';
import { html } from 'lit';
import { formatDateTime, formatNumber } from '../../format.js';
import { t } from '../../i18n/locale.js';
import type { MessageKey } from '../../i18n/vi.js';
import type { HealthHistory } from './device-api.js';
import { sparkline } from './health-chart.js';

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? t('map.health.days', { d, h }) : t('map.health.hours', { h, m });
}

const bytes = (n: number) => (n >= 1e9 ? `${formatNumber(n / 1e9, 1)} GB` : `${formatNumber(n / 1e6, 0)} MB`);

/** Rows of the latest status a technician checks: uptime, queue, disk, power, signal, amplifier. */
export function healthRows(status: Status | undefined) {
  if (!status) return html`<p>${t('map.health.none')}</p>`;
  const s = status.speaker;
  const rows: [MessageKey, string][] = [
    ['map.health.reported', formatDateTime(status.ts)],
    ['map.health.firmware', status.firmware ?? '—'],
    ['map.health.uptime', status.uptimeS === undefined ? '—' : duration(status.uptimeS)],
    ['map.health.queue', status.queueDepth === undefined ? '—' : String(status.queueDepth)],
    ['map.health.disk', status.freeDiskBytes === undefined ? '—' : bytes(status.freeDiskBytes)],
  ];
  if (s) {
    rows.push(
      ['map.health.amplifier', t(`map.amplifier.${s.amplifier}`)],
      ['map.health.volume', `${s.volume} %`],
      ['map.health.mains', s.mainsV === undefined ? '—' : `${formatNumber(s.mainsV, 0)} V`],
      ['map.health.battery', s.batteryV === undefined ? '—' : `${formatNumber(s.batteryV, 1)} V`],
      ['map.health.signal', s.signalDbm === undefined ? '—' : `${s.signalDbm} dBm`],
      [
        'map.health.door',
        s.doorOpen === undefined ? '—' : t(s.doorOpen ? 'map.door.open' : 'map.door.closed'),
      ],
    );
  }
  const sources = Object.entries(status.sources ?? {});
  return html`<div class="table-wrap"><table class="kv">
      <tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${t(k)}</th><td>${v}</td></tr>`)}</tbody>
    </table></div>
    ${
      sources.length > 0
        ? html`<h3>${t('map.health.sources')}</h3>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">${t('map.health.source')}</th><th scope="col">${t('map.health.sourceState')}</th>
            <th scope="col">${t('map.health.pollRate')}</th><th scope="col">${t('map.health.lastError')}</th></tr></thead>
          <tbody>${sources.map(
            ([name, h]) => html`<tr data-source=${name} class=${h.state === 'ok' ? '' : 'problem'}>
              <td><code>${name}</code></td><td>${t(`map.source.${h.state}`)}</td>
              <td>${formatNumber(h.pollSuccessRate * 100, 0)} %</td><td>${h.lastError ?? '—'}</td></tr>`,
          )}</tbody>
        </table></div>`
        : ''
    }`;
}

/** Labels of the series the collector stores from statuses; unknown fields show their own name. */
const FIELD_LABELS: Record<string, MessageKey> = {
  online: 'map.series.online',
  queue_depth: 'map.health.queue',
  free_disk_bytes: 'map.health.disk',
  uptime_s: 'map.health.uptime',
  poll_success_rate: 'map.health.pollRate',
  source_ok: 'map.series.sourceOk',
  mains_voltage: 'map.health.mains',
  battery_voltage: 'map.health.battery',
  signal_dbm: 'map.health.signal',
  amplifier_fault: 'map.series.amplifierFault',
  playing: 'map.series.playing',
  volume: 'map.health.volume',
};

/** Values in the unit a technician reads them in. */
function formatField(field: string, value: number): string {
  if (field === 'free_disk_bytes') return bytes(value);
  if (field === 'uptime_s') return duration(value);
  if (field === 'poll_success_rate') return `${formatNumber(value * 100, 0)} %`;
  if (field === 'mains_voltage' || field === 'battery_voltage') return `${formatNumber(value, 1)} V`;
  if (field === 'signal_dbm') return `${formatNumber(value, 0)} dBm`;
  return formatNumber(value, Number.isInteger(value) ? 0 : 1);
}

export function historyCharts(history: HealthHistory) {
  return html`<ul class="charts">
    ${history.series.map((s) => {
      const label = FIELD_LABELS[s.field];
      const values = s.points.map((p) => p[1]);
      const last = values.at(-1) ?? 0;
      return html`<li data-field=${s.field}>
        <span class="chart-label">${label ? t(label) : s.field}${s.source ? html` · <code>${s.source}</code>` : ''}</span>
        ${sparkline(s.points, history.from, history.to)}
        <span class="hint">${t('map.series.range', {
          min: formatField(s.field, Math.min(...values)),
          max: formatField(s.field, Math.max(...values)),
          last: formatField(s.field, last),
        })}</span>
      </li>`;
    })}
  </ul>`;
}
