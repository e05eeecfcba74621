import { html } from 'lit';
import type { DeviceSummary } from '../../api.js';
import { formatNumber } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { type KindsShown, bothKinds } from './summary-layer.js';

/** The communes under a province-wide map: counts by state and a way into each commune's devices. */
export function summaryList(
  areas: readonly DeviceSummary['areas'][number][],
  kinds: KindsShown,
  pick: (areaId: string) => void,
) {
  const n = (v: number) => formatNumber(v, 0);
  return html`<section class="card" aria-labelledby="list-title">
    <h2 id="list-title">${t('map.summary.listTitle', { count: areas.length })}</h2>
    <div class="table-wrap"><table>
      <thead><tr>
        <th scope="col">${t('map.summary.col.area')}</th>
        <th scope="col">${t('map.summary.col.total')}</th>
        <th scope="col">${t('map.state.online')}</th>
        <th scope="col" class="hide-phone">${t('map.state.playing')}</th>
        <th scope="col">${t('map.state.fault')}</th>
        <th scope="col" class="hide-phone">${t('map.state.offline')}</th>
        <th scope="col"><span class="hide-phone">${t('map.list.actions')}</span></th>
      </tr></thead>
      <tbody>
        ${areas.map((a) => {
          const c = bothKinds(a, kinds);
          return html`<tr data-area-id=${a.areaId}>
            <td>${a.name}</td>
            <td>${n(c.total)}</td>
            <td>${n(c.online)}</td>
            <td class="hide-phone">${n(c.playing)}</td>
            <td>${n(c.fault)}</td>
            <td class="hide-phone">${n(c.offline)}</td>
            <td><button type="button" class="secondary link-button" @click=${() => pick(a.areaId)}>${t('map.summary.open')}</button></td>
          </tr>`;
        })}
      </tbody>
    </table></div>
  </section>`;
}
