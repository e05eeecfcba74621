import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MEASUREMENTS, type Point, type TimeSeriesStore } from '@xaso/collector';
import { channelOf, getProfile, sensorRegisters } from '@xaso/device-profiles';
import { ValueModel } from '@xaso/simulators';
import { z } from 'zod';
import { type Province, profileOf } from '../province/province.js';
import { SOURCE_OF, seedOf } from './station-fleet.js';

/** The field every back-filled point carries, so history made up at start is never taken for measured data. */
export const SIMULATED_FIELD = 'simulated';

const MarkerSchema = z.object({ from: z.number(), to: z.number(), points: z.number() });
export type BackfillSummary = z.infer<typeof MarkerSchema>;

export interface BackfillOptions {
  province: Province;
  store: TimeSeriesStore;
  dataDir: string;
  days: number;
  stepMinutes: number;
  /** Back-filled history ends before this instant (the first live poll). */
  until: number;
  /** Points per store write; between writes the event loop serves the live system. */
  chunk?: number;
}

/**
 * Writes `days` of plausible history for every station through the collector's store, with the same
 * series tags live telemetry gets and the values the station's simulator would have produced then.
 * Runs once per data directory (a marker file remembers it); returns what was written, or the earlier run.
 */
export async function backfillHistory(o: BackfillOptions): Promise<BackfillSummary & { fresh: boolean }> {
  const marker = join(o.dataDir, 'sim', 'backfill.json');
  if (existsSync(marker))
    return { ...MarkerSchema.parse(JSON.parse(readFileSync(marker, 'utf8'))), fresh: false };
  const step = o.stepMinutes * 60_000;
  const to = Math.floor(o.until / step) * step;
  const from = to - Math.round((o.days * 86_400_000) / step) * step;
  let batch: Point[] = [];
  let points = 0;
  const flush = async () => {
    await o.store.write(batch);
    points += batch.length;
    batch = [];
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (const [index, station] of o.province.stations.entries()) {
    const profile = getProfile(profileOf(station));
    const model = new ValueModel(profile, seedOf(index));
    const registers = sensorRegisters(profile);
    const tags = {
      device: station.id,
      source: SOURCE_OF[station.kind],
      profile: profile.name,
      commune: station.commune,
    };
    const measurement = station.kind === 'air' ? MEASUREMENTS.air : MEASUREMENTS.water;
    for (let time = from; time < to; time += step) {
      const values = model.at(time);
      const fields: Record<string, number> = { [SIMULATED_FIELD]: 1 };
      for (const reg of registers) {
        const value = values.get(reg.name);
        if (value !== undefined && Number.isFinite(value)) fields[channelOf(reg)] = value;
      }
      batch.push({ measurement, tags, fields, time });
      if (batch.length >= (o.chunk ?? 200)) await flush();
    }
  }
  if (batch.length > 0) await flush();
  const summary: BackfillSummary = { from, to, points };
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, `${JSON.stringify(summary)}\n`);
  return { ...summary, fresh: true };
}
