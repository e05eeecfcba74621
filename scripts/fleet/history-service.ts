import type { TimeSeriesStore } from '@xaso/collector';
import type { Province } from '../province/province.js';
import type { Endpoint, Service } from '../service.js';
import { SIMULATED_FIELD, backfillHistory } from './backfill.js';

export interface HistoryOptions {
  province: Province;
  store: () => TimeSeriesStore;
  dataDir: string;
  days: number;
  stepMinutes: number;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** Back-fills the store before the gateways start, so the history never competes with live polling. */
export function historyService(o: HistoryOptions): Service {
  return {
    name: 'history',
    unavailable: () => (o.days > 0 ? undefined : 'back-fill disabled (simulation.backfillDays is 0)'),
    async start(): Promise<Endpoint[]> {
      const h = await backfillHistory({ ...o, store: o.store(), until: Date.now() });
      return [
        {
          service: 'history',
          what: h.fresh ? `back-filled ${h.points} points` : 'back-filled on an earlier start',
          where: `${day(h.from)} … ${day(h.to)} UTC`,
          detail: `every ${o.stepMinutes} min, marked ${SIMULATED_FIELD}=1`,
        },
      ];
    },
    async stop() {},
  };
}
