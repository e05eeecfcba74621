import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  type Area,
  type DevicePage,
  type DeviceView,
  type EnrollmentCode,
  type UserView,
  api,
  errorText,
} from '../api.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n/locale.js';
import '../qr/xs-qr.js';
import { LocalizedElement } from '../shell/localized-element.js';
import { sharedStyles } from '../shell/shared-styles.js';
import { type DeviceFilters, controlStyles, filterBar, pager } from './devices/device-list-controls.js';
import { enrollmentPayload } from './enrollment-payload.js';

type DeviceRole = DeviceView['role'];
const DEVICE_ROLES: readonly DeviceRole[] = ['speaker-cluster', 'sensor-gateway'];
/** A page of the list; the server pages, so a province of thousands loads as fast as a commune. */
const PAGE_SIZE = 50;
/** Typing pauses this long before the list is asked again. */
const SEARCH_DELAY_MS = 250;

/**
 * Devices with presence, searched, filtered and paged on the server; the provisioning wizard (create,
 * profile, area, enrollment code + QR); disable/rotate.
 */
@customElement('xs-devices-page')
export class XsDevicesPage extends LocalizedElement {
  static override styles = [sharedStyles, controlStyles];

  @property({ attribute: false }) user: UserView | undefined;
  @state() private page: DevicePage = { items: [], nextCursor: null, total: 0 };
  @state() private filters: DeviceFilters = {};
  /** The cursor each visited page was loaded with (undefined: the first); the last is the current page. */
  @state() private cursors: (string | undefined)[] = [undefined];
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older requests (typing fast) must not overwrite a newer one. */
  private requestNo = 0;
  @state() private areas: Area[] = [];
  @state() private error = '';
  @state() private wizardError = '';
  @state() private busy = false;
  @state() private enrollment: EnrollmentCode | undefined;
  @state() private notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    void api.listAreas().then(
      (r) => {
        this.areas = r.areas;
      },
      (err: unknown) => {
        this.error = errorText(err);
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private async refresh(): Promise<void> {
    const no = ++this.requestNo;
    try {
      const page = await api.listDevices({ ...this.filters, limit: PAGE_SIZE, cursor: this.cursors.at(-1) });
      if (no === this.requestNo) this.page = page;
    } catch (err) {
      if (no === this.requestNo) this.error = errorText(err);
    }
  }

  private filter(next: DeviceFilters): void {
    const typing = next.q !== this.filters.q;
    this.filters = next;
    this.cursors = [undefined];
    clearTimeout(this.searchTimer);
    if (typing) this.searchTimer = setTimeout(() => void this.refresh(), SEARCH_DELAY_MS);
    else void this.refresh();
  }

  private turn(direction: 'previous' | 'next'): void {
    if (direction === 'next' && this.page.nextCursor !== null)
      this.cursors = [...this.cursors, this.page.nextCursor];
    else if (direction === 'previous' && this.cursors.length > 1) this.cursors = this.cursors.slice(0, -1);
    else return;
    void this.refresh();
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const formElement = e.target as HTMLFormElement;
    const form = new FormData(formElement);
    const text = (key: string) => String(form.get(key) ?? '').trim();
    const role = DEVICE_ROLES.find((r) => r === text('role')) ?? 'speaker-cluster';
    this.busy = true;
    this.wizardError = '';
    try {
      const device = await api.createDevice({
        id: text('id'),
        role,
        ...(text('name') ? { name: text('name') } : {}),
        ...(text('profile') ? { profile: text('profile') } : {}),
        ...(text('areaId') ? { areaId: text('areaId') } : {}),
      });
      this.enrollment = await api.enrollmentCode(device.id);
      formElement.reset();
      // Show the new device whichever page it falls on: the list searches for it.
      this.filters = { q: device.id };
      this.cursors = [undefined];
      await this.refresh();
    } catch (err) {
      this.wizardError = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private async act(action: () => Promise<void>): Promise<void> {
    this.error = '';
    this.notice = '';
    try {
      await action();
      await this.refresh();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private code(id: string) {
    return this.act(async () => {
      this.enrollment = await api.enrollmentCode(id);
    });
  }

  private toggle(device: DeviceView) {
    if (!device.disabled && !confirm(t('devices.confirmDisable', { id: device.id }))) return;
    return this.act(async () => {
      await api.setDisabled(device.id, !device.disabled);
    });
  }

  private rotate(id: string) {
    return this.act(async () => {
      const { password } = await api.rotateSecret(id);
      this.notice = t('devices.rotated', { id, password });
    });
  }

  private areaName(id: string | null): string {
    if (id === null) return '—';
    return this.areas.find((a) => a.id === id)?.name ?? id;
  }

  private presence(d: DeviceView): string {
    if (d.disabled) return t('devices.presence.disabled');
    if (!d.presence) return t('devices.presence.unknown');
    const since = t('devices.since', { time: formatDateTime(d.presence.ts) });
    return `${t(`devices.presence.${d.presence.state}`)} (${since})`;
  }

  override render() {
    return html`
      <h1>${t('devices.title')}</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : ''}
      ${this.enrollment ? this.codePanel(this.enrollment) : ''}
      <section class="card">
        ${filterBar(this.filters, this.areas, (next) => this.filter(next))}
        ${
          this.page.total === 0 && Object.values(this.filters).every((v) => v === undefined)
            ? html`<p>${t('devices.empty')}</p>`
            : html`${this.page.items.length > 0 ? this.table() : ''}${pager(
                {
                  offset: (this.cursors.length - 1) * PAGE_SIZE,
                  shown: this.page.items.length,
                  total: this.page.total,
                  hasPrevious: this.cursors.length > 1,
                  hasNext: this.page.nextCursor !== null,
                },
                (direction) => this.turn(direction),
              )}`
        }
      </section>
      ${this.wizard()}
    `;
  }

  private codePanel(e: EnrollmentCode) {
    return html`<section class="card" aria-labelledby="code-title" role="region">
      <h2 id="code-title">${t('wizard.codeTitle', { id: e.deviceId })}</h2>
      <p class="enrollment-code"><strong>${e.code}</strong></p>
      <p>${t('wizard.codeHint', { time: formatDateTime(e.expiresAt) })}</p>
      <xs-qr .text=${enrollmentPayload(e.deviceId, e.code)} .label=${t('wizard.codeTitle', { id: e.deviceId })}></xs-qr>
      <p><button type="button" class="secondary" @click=${() => {
        this.enrollment = undefined;
      }}>${t('wizard.close')}</button></p>
    </section>`;
  }

  private table() {
    const isAdmin = this.user?.roles.includes('admin') ?? false;
    return html`<div class="table-wrap"><table>
      <thead><tr>
        <th scope="col">${t('devices.col.id')}</th>
        <th scope="col">${t('devices.col.name')}</th>
        <th scope="col">${t('devices.col.role')}</th>
        <th scope="col">${t('devices.col.area')}</th>
        <th scope="col">${t('devices.col.presence')}</th>
        <th scope="col">${t('devices.col.actions')}</th>
      </tr></thead>
      <tbody>
        ${this.page.items.map(
          (d) => html`<tr data-device-id=${d.id}>
            <td><a href="#/device?id=${encodeURIComponent(d.id)}"><code>${d.id}</code></a></td>
            <td>${d.name ?? '—'}</td>
            <td>${t(`devices.role.${d.role}`)}</td>
            <td>${this.areaName(d.areaId)}</td>
            <td class="presence">${this.presence(d)}</td>
            <td><div class="row-actions">
              <button type="button" class="secondary" @click=${() => this.code(d.id)}>${t('devices.code')}</button>
              <button type="button" class="danger" @click=${() => this.toggle(d)}>
                ${d.disabled ? t('devices.enable') : t('devices.disable')}
              </button>
              ${isAdmin ? html`<button type="button" class="secondary" @click=${() => this.rotate(d.id)}>${t('devices.rotate')}</button>` : ''}
            </div></td>
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }

  private wizard() {
    return html`<section class="card" aria-labelledby="wizard-title">
      <h2 id="wizard-title">${t('wizard.title')}</h2>
      <form @submit=${this.create}>
        <label>${t('wizard.id')}
          <input name="id" required maxlength="64" autocapitalize="none" spellcheck="false">
          <span class="hint">${t('wizard.idHint')}</span>
        </label>
        <label>${t('wizard.name')}<input name="name" maxlength="200"></label>
        <label>${t('wizard.role')}
          <select name="role">
            ${DEVICE_ROLES.map((r) => html`<option value=${r}>${t(`devices.role.${r}`)}</option>`)}
          </select>
        </label>
        <label>${t('wizard.profile')}<input name="profile" maxlength="64" spellcheck="false"></label>
        <label>${t('wizard.area')}
          <select name="areaId">
            <option value="">${t('wizard.noArea')}</option>
            ${this.areas.map((a) => html`<option value=${a.id}>${a.name}</option>`)}
          </select>
        </label>
        ${this.wizardError ? html`<p class="error" role="alert">${this.wizardError}</p>` : ''}
        <button type="submit" ?disabled=${this.busy}>${t('wizard.submit')}</button>
      </form>
    </section>`;
  }
}
