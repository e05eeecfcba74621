import type { Status } from '@xaso/device-profiles/contract';
import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type Area, type DeviceView, type EnrollmentCode, type UserView, api, errorText } from '../../api.js';
import { formatDateTime } from '../../format.js';
import { t } from '../../i18n/locale.js';
import '../../qr/xs-qr.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { enrollmentPayload } from '../enrollment-payload.js';
import { type LiveConnection, followLive } from '../map/live-client.js';
import { faultText, playingText, stateText } from '../map/map-present.js';
import type { LiveDevice } from '../map/map-types.js';
import { markerElement } from '../map/marker-element.js';
import { STATE_STYLE, markerState } from '../map/marker-state.js';
import { deviceActions } from './device-actions.js';
import {
  type DeviceEvent,
  type HealthHistory,
  deviceEvents,
  getDevice,
  healthHistory,
} from './device-api.js';
import { healthRows, historyCharts } from './device-health.js';
import { devicePageStyles } from './device-styles.js';
import { eventKindLabel, eventText, isProblem } from './event-text.js';

const idFromHash = () => new URLSearchParams(location.hash.split('?')[1] ?? '').get('id') ?? '';

/** One device: identity, place, presence and health (live), health history, events and faults, actions. */
@customElement('xs-device-page')
export class XsDevicePage extends LocalizedElement {
  static override styles = [sharedStyles, devicePageStyles];

  @property({ attribute: false }) user: UserView | undefined;
  @state() private deviceId = idFromHash();
  @state() private device: DeviceView | undefined;
  @state() private live: LiveDevice | undefined;
  @state() private areas: Area[] = [];
  @state() private events: DeviceEvent[] | undefined;
  @state() private history: HealthHistory | undefined;
  @state() private connection: LiveConnection = 'connecting';
  @state() private error = '';
  @state() private notice = '';
  @state() private secret: string | undefined;
  @state() private enrollment: EnrollmentCode | undefined;

  private stopLive: (() => void) | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onHash = () => {
    const next = idFromHash();
    if (next === this.deviceId || !location.hash.startsWith('#/device')) return;
    this.deviceId = next;
    this.device = undefined;
    this.live = undefined;
    this.enrollment = undefined;
    this.secret = undefined;
    void this.load();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    void api.listAreas().then(
      (r) => {
        this.areas = r.areas;
      },
      () => undefined,
    );
    void this.load();
    this.stopLive = followLive({
      snapshot: (devices) => {
        this.live = devices.find((d) => d.id === this.deviceId);
      },
      device: (device) => {
        if (device.id !== this.deviceId) return;
        this.live = device;
        this.scheduleRefresh();
      },
      removed: (id) => {
        if (id === this.deviceId) this.live = undefined;
      },
      connection: (c) => {
        this.connection = c;
      },
      sessionEnded: () => void api.me().catch(() => undefined),
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    this.stopLive?.();
    clearTimeout(this.refreshTimer);
  }

  /** A burst of live changes costs one reload of the full status, not one per event. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.load(), 400);
  }

  private async load(): Promise<void> {
    if (!this.deviceId) {
      this.error = t('map.device.noId');
      return;
    }
    try {
      this.device = await getDevice(this.deviceId);
      this.error = '';
      const [events, history] = await Promise.all([
        deviceEvents(this.deviceId),
        healthHistory(this.deviceId),
      ]);
      this.events = events;
      this.history = history;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Runs an action, shows its error naming the field, and reloads the device. */
  async act(action: () => Promise<string | undefined>): Promise<void> {
    this.error = '';
    this.notice = '';
    try {
      this.notice = (await action()) ?? '';
      await this.load();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  showSecret(password: string): void {
    this.secret = password;
  }

  showEnrollment(code: EnrollmentCode): void {
    this.enrollment = code;
  }

  areaName(id: string | null): string {
    if (id === null) return t('map.noArea');
    return this.areas.find((a) => a.id === id)?.name ?? id;
  }

  /** The commune's coordinates, where the position picker looks first for a device not yet placed. */
  private centreOf(areaId: string | null): { lat: number; lon: number } | null {
    const area = this.areas.find((a) => a.id === areaId);
    return area?.lat !== undefined && area.lon !== undefined ? { lat: area.lat, lon: area.lon } : null;
  }

  override render() {
    const d = this.device;
    if (!d)
      return html`<h1>${t('map.device.title')}</h1>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p>${t('app.loading')}</p>`}
        <p><a href="#/map">${t('map.device.back')}</a></p>`;
    const state = markerState(this.live);
    const status = d.presence?.status as Status | undefined;
    return html`
      <p class="crumbs"><a href="#/map">${t('map.device.back')}</a></p>
      <header class="device-head">
        <h1>${d.name ?? d.id}</h1>
        <span class="state-badge big" data-state=${state} role="status">
          ${markerElement({ shape: 'round', fill: STATE_STYLE[state].fill, ink: STATE_STYLE[state].ink, ring: '#fff', text: STATE_STYLE[state].glyph, dashed: false, label: '' })}
          ${stateText(state)}</span>
        <span class="pill ${this.connection === 'live' ? 'live' : ''}">${t(`map.live.${this.connection}`)}</span>
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : ''}
      ${this.secret ? this.secretPanel(this.secret) : ''}
      ${this.enrollment ? this.codePanel(this.enrollment) : ''}
      <div class="grid">
        ${this.identity(d)}
        <section class="card" aria-labelledby="health-title">
          <h2 id="health-title">${t('map.device.health')}</h2>
          ${this.live?.playing ? html`<p class="playing">${playingText(this.live.playing)}</p>` : ''}
          ${(this.live?.faults ?? []).map((f) => html`<p class="error">${faultText(f)}</p>`)}
          ${healthRows(d.presence?.state === 'online' ? status : undefined)}
          ${d.presence?.state === 'offline' ? html`<p>${t('map.lastSeen', { time: formatDateTime(d.presence.ts) })}</p>` : ''}
        </section>
      </div>
      ${deviceActions(this, d, this.centreOf(d.areaId))}
      ${this.historySection()}
      ${this.eventsSection()}
    `;
  }

  private identity(d: DeviceView) {
    const rows: [string, unknown][] = [
      [t('map.device.id'), html`<code>${d.id}</code>`],
      [t('map.device.role'), t(`devices.role.${d.role}`)],
      [t('map.device.profile'), d.profile ?? '—'],
      [t('map.device.area'), this.areaName(d.areaId)],
      [t('map.device.groups'), d.groups.length > 0 ? d.groups.join(', ') : '—'],
      [
        t('map.device.position'),
        d.position
          ? `${d.position.lat.toFixed(5)}, ${d.position.lon.toFixed(5)}`
          : this.live?.position
            ? t('map.approximate')
            : '—',
      ],
      [t('map.device.enrolled'), d.enrolledAt ? formatDateTime(d.enrolledAt) : t('map.device.notEnrolled')],
      [t('map.device.created'), formatDateTime(d.createdAt)],
      [t('map.device.rotated'), d.rotatedAt ? formatDateTime(d.rotatedAt) : '—'],
      [t('map.device.locked'), d.disabled ? t('map.device.yes') : t('map.device.no')],
    ];
    return html`<section class="card" aria-labelledby="identity-title">
      <h2 id="identity-title">${t('map.device.identity')}</h2>
      <div class="table-wrap"><table class="kv"><tbody>
        ${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}
      </tbody></table></div>
    </section>`;
  }

  private secretPanel(password: string) {
    return html`<section class="card" role="region" aria-labelledby="secret-title">
      <h2 id="secret-title">${t('map.device.secretTitle')}</h2>
      <p>${t('map.device.secretHint')}</p>
      <p class="enrollment-code"><code>${password}</code></p>
      <button type="button" class="secondary" @click=${() => {
        this.secret = undefined;
      }}>${t('wizard.close')}</button>
    </section>`;
  }

  private codePanel(e: EnrollmentCode) {
    return html`<section class="card" role="region" aria-labelledby="code-title">
      <h2 id="code-title">${t('wizard.codeTitle', { id: e.deviceId })}</h2>
      <p class="enrollment-code"><strong>${e.code}</strong></p>
      <p>${t('wizard.codeHint', { time: formatDateTime(e.expiresAt) })}</p>
      <xs-qr .text=${enrollmentPayload(e.deviceId, e.code)} .label=${t('wizard.codeTitle', { id: e.deviceId })}></xs-qr>
      <p><button type="button" class="secondary" @click=${() => {
        this.enrollment = undefined;
      }}>${t('wizard.close')}</button></p>
    </section>`;
  }

  private historySection() {
    const faults = (this.events ?? []).filter((e) => e.kind === 'fault' || e.kind === 'lifecycle');
    return html`<section class="card" aria-labelledby="history-title">
      <h2 id="history-title">${t('map.device.history')}</h2>
      ${
        this.history && this.history.series.length > 0
          ? html`<p class="hint">${t('map.device.historySeries', { from: formatDateTime(this.history.from), to: formatDateTime(this.history.to) })}</p>
            ${historyCharts(this.history)}`
          : html`<p class="hint">${t('map.device.historyEvents')}</p>
            ${
              faults.length === 0
                ? html`<p>${t('map.device.noHistory')}</p>`
                : html`<ol class="timeline">${faults.map(
                    (e) => html`<li class=${isProblem(e.kind, e.body) ? 'problem' : 'fine'}>
                      <time>${formatDateTime(e.ts)}</time> ${eventText(e.kind, e.body)}</li>`,
                  )}</ol>`
            }`
      }
    </section>`;
  }

  private eventsSection() {
    const events = this.events;
    return html`<section class="card" aria-labelledby="events-title">
      <h2 id="events-title">${t('map.device.events')}</h2>
      ${
        events === undefined
          ? html`<p>${t('map.device.noCollector')}</p>`
          : events.length === 0
            ? html`<p>${t('map.device.noEvents')}</p>`
            : html`<div class="table-wrap"><table>
              <thead><tr><th scope="col">${t('map.device.when')}</th><th scope="col">${t('map.device.kind')}</th>
                <th scope="col">${t('map.device.what')}</th></tr></thead>
              <tbody>${events.map(
                (e) => html`<tr class=${isProblem(e.kind, e.body) ? 'problem' : ''} data-kind=${e.kind}>
                  <td>${formatDateTime(e.ts)}</td><td>${eventKindLabel(e.kind)}</td>
                  <td>${eventText(e.kind, e.body)}</td></tr>`,
              )}</tbody></table></div>`
      }
    </section>`;
  }
}
