import { t } from '../../i18n/locale.js';

/** Reads "lat, lon" inputs; a message naming the field when one is not a coordinate. */
export function parsePosition(
  latText: string,
  lonText: string,
): { lat: number; lon: number } | { error: string } {
  const lat = Number(latText.replace(',', '.'));
  const lon = Number(lonText.replace(',', '.'));
  if (latText.trim() === '' || !Number.isFinite(lat) || lat < -90 || lat > 90)
    return { error: t('map.position.badLat') };
  if (lonText.trim() === '' || !Number.isFinite(lon) || lon < -180 || lon > 180)
    return { error: t('map.position.badLon') };
  return { lat, lon };
}
