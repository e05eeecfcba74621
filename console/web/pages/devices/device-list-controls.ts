import { css, html } from 'lit';
import type { Area, DeviceListQuery, DeviceState, DeviceView } from '../../api.js';
import { formatNumber } from '../../format.js';
import { t } from '../../i18n/locale.js';

export const DEVICE_STATES: readonly DeviceState[] = ['online', 'offline', 'playing', 'fault', 'disabled'];
const KINDS: readonly DeviceView['role'][] = ['speaker-cluster', 'sensor-gateway'];

/** What the list is filtered by; the page's query minus paging. */
export type DeviceFilters = Pick<DeviceListQuery, 'q' | 'kind' | 'state' | 'area'>;

export const controlStyles = css`
  .filters { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; border: 0; padding: 0; margin: 0 0 1rem; }
  .filters label { display: flex; flex-direction: column; gap: 0.25rem; }
  .filters .search { flex: 1 1 16rem; }
  .pager { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin-top: 0.75rem; }
`;

/** Search box and selects; `change` gets the filters as they are after each edit. */
export function filterBar(
  filters: DeviceFilters,
  areas: readonly Area[],
  change: (next: DeviceFilters) => void,
) {
  const pick = <K extends keyof DeviceFilters>(key: K, value: string) =>
    change({ ...filters, [key]: value === '' ? undefined : value });
  const selected = (value: string | undefined, option: string) => (value ?? '') === option;
  return html`<fieldset class="filters" aria-label=${t('devices.filter.label')}>
    <label class="search">${t('devices.filter.search')}
      <input type="search" name="q" maxlength="100" autocomplete="off" spellcheck="false"
        .value=${filters.q ?? ''} @input=${(e: Event) => pick('q', (e.target as HTMLInputElement).value)}>
      <span class="hint">${t('devices.filter.searchHint')}</span>
    </label>
    <label>${t('devices.filter.kind')}
      <select name="kind" @change=${(e: Event) => pick('kind', (e.target as HTMLSelectElement).value)}>
        <option value="">${t('devices.filter.allKinds')}</option>
        ${KINDS.map((k) => html`<option value=${k} ?selected=${selected(filters.kind, k)}>${t(`devices.role.${k}`)}</option>`)}
      </select>
    </label>
    <label>${t('devices.filter.state')}
      <select name="state" @change=${(e: Event) => pick('state', (e.target as HTMLSelectElement).value)}>
        <option value="">${t('devices.filter.allStates')}</option>
        ${DEVICE_STATES.map((s) => html`<option value=${s} ?selected=${selected(filters.state, s)}>${t(`devices.state.${s}`)}</option>`)}
      </select>
    </label>
    <label>${t('devices.filter.area')}
      <select name="area" @change=${(e: Event) => pick('area', (e.target as HTMLSelectElement).value)}>
        <option value="">${t('devices.filter.allAreas')}</option>
        ${areas.map((a) => html`<option value=${a.id} ?selected=${selected(filters.area, a.id)}>${a.name}</option>`)}
      </select>
    </label>
    <button type="button" class="secondary" @click=${() => change({})}>${t('devices.filter.clear')}</button>
  </fieldset>`;
}

/** "Devices 101–200 of 11,000" with previous and next. */
export function pager(
  page: { offset: number; shown: number; total: number; hasPrevious: boolean; hasNext: boolean },
  go: (direction: 'previous' | 'next') => void,
) {
  if (page.total === 0) return html`<p class="pager" role="status">${t('devices.page.none')}</p>`;
  const n = (v: number) => formatNumber(v, 0);
  return html`<nav class="pager" aria-label=${t('devices.page.label')}>
    <span role="status">${t('devices.page.range', { from: n(page.offset + 1), to: n(page.offset + page.shown), total: n(page.total) })}</span>
    <button type="button" class="secondary" ?disabled=${!page.hasPrevious} @click=${() => go('previous')}>${t('devices.page.previous')}</button>
    <button type="button" class="secondary" ?disabled=${!page.hasNext} @click=${() => go('next')}>${t('devices.page.next')}</button>
  </nav>`;
}
