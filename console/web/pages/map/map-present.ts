import { formatDateTime } from '../../format.js';
import { t } from '../../i18n/locale.js';
import type { LiveDevice, MapItem, MarkerState } from './map-types.js';
import type { MarkerPresentation } from './marker-element.js';
import { NO_INDEX_COLOUR, STATE_STYLE, inkOn } from './marker-state.js';

export function stateText(state: MarkerState): string {
  return t(`map.state.${state}`);
}

export function faultText(fault: LiveDevice['faults'][number]): string {
  const part =
    fault.part === 'amplifier'
      ? t('map.part.amplifier')
      : fault.part === 'door'
        ? t('map.part.door')
        : fault.part;
  return `${part}: ${t(`map.problem.${fault.problem}`)}`;
}

export function playingText(playing: NonNullable<LiveDevice['playing']>): string {
  const title = playing.title ?? t('map.untitled');
  return t('map.playing', { title, priority: t(`map.priority.${playing.priority}`) });
}

/** Clusters are round and coloured by state; stations are square in their index's official colour. */
export function presentItem(item: MapItem): MarkerPresentation {
  const style = STATE_STYLE[item.state];
  const index = item.station?.index ?? null;
  const kind = t(`map.kind.${item.kind}`);
  if (item.kind === 'station') {
    const fill = index?.colour ?? NO_INDEX_COLOUR;
    const indexText = index
      ? t('map.index', { kind: index.kind.toUpperCase(), value: index.value, category: index.category })
      : t('map.noIndex');
    return {
      shape: 'square',
      fill,
      ink: inkOn(fill),
      ring: item.state === 'offline' || item.state === 'disabled' ? style.fill : '#fff',
      text: index ? String(index.value) : '–',
      dashed: item.state === 'offline',
      label: `${kind} ${item.name}: ${stateText(item.state)}, ${indexText}`,
    };
  }
  const playing = item.device?.playing ? `, ${playingText(item.device.playing)}` : '';
  return {
    shape: 'round',
    fill: style.fill,
    ink: style.ink,
    ring: '#fff',
    text: style.glyph,
    dashed: item.state === 'offline',
    label: `${kind} ${item.name}: ${stateText(item.state)}${playing}`,
  };
}

function line(parent: HTMLElement, text: string, className?: string): HTMLElement {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  parent.append(p);
  return p;
}

/** The popup: name, kind, state, what plays, faults, index, last seen and a link to the detail page. */
export function itemPopup(item: MapItem, areaName: (id: string | null) => string): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const title = document.createElement('h3');
  title.textContent = item.name;
  root.append(title);
  line(root, `${t(`map.kind.${item.kind}`)} · ${areaName(item.areaId)}`);
  line(root, `${t('map.popup.state')}: ${stateText(item.state)}`);
  const device = item.device;
  if (device?.playing) line(root, playingText(device.playing));
  for (const fault of device?.faults ?? []) line(root, faultText(fault));
  const index = item.station?.index;
  if (item.kind === 'station')
    line(
      root,
      index
        ? t('map.index', { kind: index.kind.toUpperCase(), value: index.value, category: index.category })
        : t('map.noIndex'),
    );
  if (device)
    line(
      root,
      device.lastSeen === null
        ? t('map.neverSeen')
        : t('map.lastSeen', { time: formatDateTime(device.lastSeen) }),
    );
  if (item.approximate) line(root, t('map.approximate'));
  if (device) {
    const link = document.createElement('a');
    link.className = 'detail';
    link.href = `#/device?id=${encodeURIComponent(device.id)}`;
    link.textContent = t('map.popup.detail');
    root.append(link);
  }
  return root;
}
