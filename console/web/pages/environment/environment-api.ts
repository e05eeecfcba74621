import type { z } from 'zod';
import type {
  AlarmListSchema,
  AlarmSchema,
  StationDetailSchema,
  StationListSchema,
  StationSeriesSchema,
  SummarySchema,
} from '../../../src/environment/schemas.js';
import { api } from '../../api.js';

// Types only: the server's zod schemas describe the wire, and none of their code reaches the bundle.
export type StationList = z.infer<typeof StationListSchema>;
export type Station = StationList['stations'][number];
export type StationIndex = NonNullable<Station['index']>;
export type StationDetail = z.infer<typeof StationDetailSchema>;
export type ChannelView = StationDetail['channels'][number];
export type ChannelLimit = ChannelView['limits'][number];
export type StationSeries = z.infer<typeof StationSeriesSchema>;
export type AlarmList = z.infer<typeof AlarmListSchema>;
export type Alarm = z.infer<typeof AlarmSchema>;
export type EnvironmentSummary = z.infer<typeof SummarySchema>;

const station = (id: string) => `/api/environment/stations/${encodeURIComponent(id)}`;

export function seriesQuery(fields: string[], from: number, to: number, maxPoints: number): string {
  return new URLSearchParams({
    fields: fields.join(','),
    from: String(Math.round(from)),
    to: String(Math.round(to)),
    maxPoints: String(maxPoints),
  }).toString();
}

export const environmentApi = {
  stations: (): Promise<StationList> => api.request('GET', '/api/environment/stations'),
  station: (id: string): Promise<StationDetail> => api.request('GET', station(id)),
  series: (
    id: string,
    fields: string[],
    from: number,
    to: number,
    maxPoints: number,
  ): Promise<StationSeries> =>
    api.request('GET', `${station(id)}/series?${seriesQuery(fields, from, to, maxPoints)}`),
  seriesCsvUrl: (id: string, fields: string[], from: number, to: number): string =>
    `${station(id)}/series.csv?${seriesQuery(fields, from, to, 5000)}`,
  alarms: (status: string, stationId?: string): Promise<AlarmList> => {
    const q = new URLSearchParams({ status, limit: '200' });
    if (stationId) q.set('stationId', stationId);
    return api.request('GET', `/api/environment/alarms?${q}`);
  },
  acknowledge: (id: string, note: string): Promise<Alarm> =>
    api.request('POST', `/api/environment/alarms/${encodeURIComponent(id)}/acknowledge`, { note }),
  summary: (areaId: string, from: string, to: string): Promise<EnvironmentSummary> =>
    api.request('GET', `/api/environment/reports/summary?${new URLSearchParams({ areaId, from, to })}`),
};

/** The hash's query (`#/environment?station=…`): sub-pages without their own route. */
export function hashParams(hash: string = location.hash): URLSearchParams {
  const i = hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
}
