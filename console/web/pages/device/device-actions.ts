import { html } from 'lit';
import { type DeviceView, type EnrollmentCode, type UserView, api } from '../../api.js';
import { t } from '../../i18n/locale.js';
import { pushConfiguration, setPosition } from './device-api.js';
import { parsePosition } from './position.js';
import './position-picker.js';
import type { PickedPosition } from './position-picker.js';

export interface ActionHost {
  user: UserView | undefined;
  act(action: () => Promise<string | undefined>): Promise<void>;
  showSecret(password: string): void;
  showEnrollment(code: EnrollmentCode): void;
}

/** What a technician (or an administrator) may do to the device; nothing for other roles. */
export function deviceActions(host: ActionHost, d: DeviceView, centre: PickedPosition | null = null) {
  const roles = host.user?.roles ?? [];
  const isAdmin = roles.includes('admin');
  if (!isAdmin && !roles.includes('technician')) return '';
  const toggle = () => {
    if (!d.disabled && !confirm(t('devices.confirmDisable', { id: d.id }))) return;
    void host.act(async () => {
      await api.setDisabled(d.id, !d.disabled);
      return t(d.disabled ? 'map.action.enabled' : 'map.action.disabled', { id: d.id });
    });
  };
  const code = () =>
    host.act(async () => {
      host.showEnrollment(await api.enrollmentCode(d.id));
      return undefined;
    });
  const push = () =>
    host.act(async () => {
      const pushed = await pushConfiguration(d.id, d.areaId);
      return t('map.action.pushed', {
        version: pushed.configVersion ?? '—',
        groups: pushed.groups.join(', ') || '—',
      });
    });
  const rotate = () => {
    if (!confirm(t('map.action.confirmRotate', { id: d.id }))) return;
    void host.act(async () => {
      host.showSecret((await api.rotateSecret(d.id)).password);
      return undefined;
    });
  };
  const place = (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const parsed = parsePosition(String(form.get('lat') ?? ''), String(form.get('lon') ?? ''));
    void host.act(async () => {
      if ('error' in parsed) throw new Error(parsed.error);
      await setPosition(d.id, parsed);
      return t('map.position.saved');
    });
  };
  // A click on the picker fills the coordinates; saving stays one deliberate press of the button.
  const picked = (e: CustomEvent<PickedPosition>) => {
    const form = (e.target as HTMLElement).closest('form');
    const set = (name: string, value: number) => {
      const input = form?.querySelector<HTMLInputElement>(`input[name=${name}]`);
      if (input) input.value = String(value);
    };
    set('lat', e.detail.lat);
    set('lon', e.detail.lon);
  };
  return html`<section class="card" aria-labelledby="actions-title">
    <h2 id="actions-title">${t('map.device.actions')}</h2>
    <div class="row-actions big">
      <button type="button" class="secondary" @click=${code}>${t('map.action.code')}</button>
      ${d.role === 'speaker-cluster' ? html`<button type="button" class="secondary" @click=${push}>${t('map.action.push')}</button>` : ''}
      <button type="button" class="danger" @click=${toggle}>${d.disabled ? t('devices.enable') : t('devices.disable')}</button>
      ${isAdmin ? html`<button type="button" class="danger" @click=${rotate}>${t('devices.rotate')}</button>` : ''}
    </div>
    <form class="position" @submit=${place}>
      <fieldset>
        <legend>${t('map.position.title')}</legend>
        <xs-position-picker .position=${d.position ?? null} .centre=${centre}
          @position-pick=${picked}></xs-position-picker>
        <label>${t('map.position.lat')}<input name="lat" inputmode="decimal" required .value=${d.position ? String(d.position.lat) : ''}></label>
        <label>${t('map.position.lon')}<input name="lon" inputmode="decimal" required .value=${d.position ? String(d.position.lon) : ''}></label>
        <button type="submit">${t('map.position.save')}</button>
      </fieldset>
    </form>
  </section>`;
}
