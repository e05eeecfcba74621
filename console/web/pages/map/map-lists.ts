import { html } from 'lit';
import { t } from '../../i18n/locale.js';
import { presentItem, stateText } from './map-present.js';
import { MARKER_STATES, type MapItem, type MarkerState } from './map-types.js';
import { markerElement } from './marker-element.js';
import { STATE_STYLE, placed } from './marker-state.js';

/** VN_AQI's official category colours, Tốt to Nguy hại, for the legend. */
const AQI_COLOURS = ['#00e400', '#ffff00', '#ff7e00', '#ff0000', '#8f3f97', '#7e0023'];

/** Colours through the CSSOM: the CSP forbids style attributes in markup. */
function swatch(colour: string): HTMLElement {
  const el = document.createElement('span');
  el.className = 'swatch';
  el.style.backgroundColor = colour;
  return el;
}

/** Marker samples with their counts (a live region reads them out when they change). */
export function mapLegend(counts: Record<MarkerState, number>) {
  const sample = (state: MarkerState) =>
    markerElement({
      shape: 'round',
      fill: STATE_STYLE[state].fill,
      ink: STATE_STYLE[state].ink,
      ring: '#fff',
      text: STATE_STYLE[state].glyph,
      dashed: state === 'offline',
      label: '',
    });
  return html`<section class="card" aria-labelledby="legend-title">
    <h2 id="legend-title">${t('map.legend.title')}</h2>
    <ul class="legend" aria-live="polite">
      ${MARKER_STATES.map(
        (s) =>
          html`<li data-legend=${s}>${sample(s)}<span>${stateText(s)}: <strong>${counts[s]}</strong></span></li>`,
      )}
      <li><span class="swatches" aria-hidden="true">
        ${AQI_COLOURS.map(swatch)}
      </span><span>${t('map.legend.stations')}</span></li>
    </ul>
  </section>`;
}

/** Every item under the map: state, what plays, a way to its marker and to its detail page. */
export function itemList(
  items: readonly MapItem[],
  areaName: (id: string | null) => string,
  focus: (id: string) => void,
) {
  return html`<section class="card" aria-labelledby="list-title">
    <h2 id="list-title">${t('map.list.title', { count: items.length })}</h2>
    <div class="table-wrap"><table>
      <thead><tr>
        <th scope="col">${t('map.list.name')}</th>
        <th scope="col" class="hide-phone">${t('map.list.kind')}</th>
        <th scope="col" class="hide-phone">${t('map.list.area')}</th>
        <th scope="col">${t('map.list.state')}</th>
        <th scope="col"><span class="hide-phone">${t('map.list.actions')}</span></th>
      </tr></thead>
      <tbody>
        ${items.map((i) => {
          const p = presentItem(i);
          return html`<tr data-item-id=${i.id} data-state=${i.state}>
            <td>${i.name}${placed(i) ? '' : html` <span class="hint">(${t('map.list.noPosition')})</span>`}</td>
            <td class="hide-phone">${t(`map.kind.${i.kind}`)}</td>
            <td class="hide-phone">${areaName(i.areaId)}</td>
            <td><span class="state-badge">${markerElement({ ...p, label: '' })}${stateText(i.state)}</span>
              ${i.device?.playing ? html`<div class="hint">${i.device.playing.title ?? t('map.untitled')}</div>` : ''}</td>
            <td><div class="row-actions">
              ${placed(i) ? html`<button type="button" class="secondary link-button hide-phone" @click=${() => focus(i.id)}>${t('map.list.show')}</button>` : ''}
              ${i.device ? html`<a href="#/device?id=${encodeURIComponent(i.device.id)}">${t('map.popup.detail')}</a>` : ''}
            </div></td>
          </tr>`;
        })}
      </tbody>
    </table></div>
  </section>`;
}
