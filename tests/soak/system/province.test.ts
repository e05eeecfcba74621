/**
 * Issue 8's system soak: the simulated province (loudspeaker clusters and stations, real gateway cores
 * behind simulated 3G/4G uplinks) against the broker, collector and console running as separate processes,
 * each SIGKILLed and restarted at random moments, while gateways' uplinks are cut, one station's disk budget
 * fills, a rogue station sends malformed telemetry and someone with the console's MQTT password forges
 * commands. Short form in `npm test`; `npm run soak -- 3600` (XASO_SOAK_SECONDS) runs an hour,
 * XASO_SOAK_CLUSTERS / XASO_SOAK_STATIONS scale the fleet (200 / 30 is the real deployment),
 * XASO_SOAK_SEED replays a fault plan, XASO_SOAK_KEEP=1 keeps the logs and databases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpeakerFleet } from '../../../scripts/fleet/speaker-fleet.js';
import { UplinkDropouts } from '../../../scripts/fleet/uplink-dropouts.js';
import { PROVINCE_AREA_ID, writeAreasFile } from '../../../scripts/province/areas-file.js';
import { loadProvince } from '../../../scripts/province/province.js';
import { until } from '../../integration/collector/wait.js';
import { forgeCommands, newTally, rogueStation, within } from './attacks.js';
import { inSync, placeClusters, scheduleBroadcasts, setUpConsole } from './console-setup.js';
import { type FaultRecord, planFaults, rng, runCuts, runKills } from './faults.js';
import { Ledger } from './ledger.js';
import { provision } from './provision.js';
import { type ServiceLayout, healthOf, startBroker, startCollector, startConsole } from './services.js';
import { StationFleet } from './stations.js';
import { judge } from './verdict.js';

const SECONDS = Number(process.env.XASO_SOAK_SECONDS ?? '30');
const CLUSTERS = Number(process.env.XASO_SOAK_CLUSTERS ?? '20');
const STATIONS = Number(process.env.XASO_SOAK_STATIONS ?? '6');
const SEED = Number(process.env.XASO_SOAK_SEED ?? Math.floor(Math.random() * 1e9));
const SPEED = 10;

/** A progress line on stderr: an hour-long run shows what it is doing. */
function note(startedAt: number, what: string): void {
  process.stderr.write(`[soak +${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${what}\n`);
}
/** How long the forged commands' target must have been connected before a round: time for its SUBACK. */
const VICTIM_SETTLE_MS = 2000;
/** Playback start tolerance: the schedule fires in this process, on a shared 2-core machine. */
const ON_TIME_MS = 3000;

describe(`system soak: ${CLUSTERS} clusters + ${STATIONS} stations, broker/collector/console killed (${SECONDS} s)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xs-system-soak-'));
  const stops: Array<() => Promise<void>> = [];
  let ledger: Ledger | undefined;

  afterAll(async () => {
    ledger?.close();
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (process.env.XASO_SOAK_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it(
    'ends with every reading stored once, every broadcast played or reported missed, no forged command run',
    async () => {
      const t0 = Date.now();
      const random = rng(SEED);
      const province = loadProvince();
      const layout: ServiceLayout = {
        dir,
        brokerData: join(dir, 'broker'),
        collectorState: join(dir, 'collector.db'),
        timeSeries: join(dir, 'timeseries.db'),
        consoleData: join(dir, 'console'),
        areasFile: writeAreasFile(province, join(dir, 'areas.json')),
        collectorUsername: '',
        collectorPassword: '',
        areas: {},
      };
      const devices = provision(layout.brokerData, province, { clusters: CLUSTERS, stations: STATIONS });
      layout.collectorUsername = devices.collector.username;
      layout.collectorPassword = devices.collector.password;
      layout.areas = Object.fromEntries([
        ...devices.clusters.map((c) => [c.id, c.communeId]),
        ...devices.stations.map((s) => [s.id, s.commune]),
      ]);

      const broker = await startBroker(layout);
      stops.push(() => broker.stop());
      const collector = await startCollector(layout, broker.url);
      stops.push(() => collector.stop());
      const webConsole = await startConsole(layout, broker.url);
      stops.push(() => webConsole.stop());
      const services = { broker, collector, console: webConsole };
      const session = await setUpConsole(webConsole.url, webConsole.logFile, layout.consoleData);
      const groups = await placeClusters(session.admin, devices.clusters);

      const [host, port] = broker.url.replace('mqtt://', '').split(':');
      const endpoint = { host: host ?? '127.0.0.1', port: Number(port) };
      const played: { cluster: string; source: string; startedAt: number }[] = [];
      const fleet = await SpeakerFleet.start(
        devices.clusters.map((c) => ({
          id: c.id,
          username: c.id,
          password: c.password,
          groups: groups.get(c.id) ?? [],
        })),
        {
          broker: endpoint,
          signingPublicKeyPem: session.publicKeyPem,
          speed: SPEED,
          latencyMs: [60, 400],
          jitterMs: 80,
          // Random short drop-outs on top of the planned cuts, as a rural cell has them.
          dropouts: { meanEveryS: 120, meanLengthS: 4 },
          reconnectPeriodMs: 1000,
          statusIntervalS: 30,
          random,
          onPlayback: (cluster, record, phase) => {
            if (phase === 'start')
              played.push({ cluster, source: record.source, startedAt: record.startedAt });
          },
        },
      );
      stops.push(() => fleet.stop());
      const fullDisk = devices.stations[0]?.id ?? '';
      const stations = await StationFleet.start(devices.stations, {
        broker: endpoint,
        signingPublicKeyPem: session.publicKeyPem,
        dataDir: join(dir, 'stations'),
        smallBudget: new Set([fullDisk]),
        random,
      });
      stops.push(() => stations.stop());
      // Stations sit on the same rural cells: random short drop-outs for them too.
      const stationDropouts = new UplinkDropouts(
        () => stations.stations,
        (id) => id === fullDisk,
        { meanEveryS: 120, meanLengthS: 4 },
        random,
      );
      stationDropouts.start();
      stops.push(async () => stationDropouts.stop());
      expect(await fleet.waitConnected(60_000)).toEqual([]);

      // Broadcasts at 20 %, 45 % and 70 % of the run, all scheduled before the first fault.
      const setupDoneAt = Date.now() + 10_000;
      const times = [0.2, 0.45, 0.7].map((f) => Math.ceil((setupDoneAt + f * SECONDS * 1000) / 1000) * 1000);
      const bulletin = await scheduleBroadcasts(session.operator, times);
      await until(
        'every cluster in sync with the schedule',
        async () => (await inSync(session.operator)) >= CLUSTERS,
        60_000,
      );
      await until('setup window', () => Date.now() >= setupDoneAt - 1000, 30_000).catch(() => undefined);

      // The fault plan.
      const gatewayIds = [...devices.clusters.map((c) => c.id), ...devices.stations.map((s) => s.id)].filter(
        (id) => id !== fullDisk,
      );
      const plan = planFaults(SECONDS, random, gatewayIds);
      const faults: FaultRecord[] = [];
      const uplinks = {
        cut: (id: string) => (fleet.get(id) ? fleet.cut([id]) : stations.get(id)?.uplink.cut()),
        restore: (id: string) => (fleet.get(id) ? fleet.restore([id]) : stations.get(id)?.uplink.restore()),
      };
      const startedAt = Date.now();
      const setupS = (startedAt - t0) / 1000;
      stations.produce(1000);
      const tally = newTally();
      const victim = devices.clusters[Math.floor(random() * devices.clusters.length)]?.id ?? '';
      // The victim's session is clean: commands sent while it is away are not delivered at all, so a round waits
      // until it has been back for a moment (its SUBSCRIBE answered) and is excused if it drops meanwhile.
      const victimLink = fleet.get(victim)?.gateway.link;
      const victimOffline: { from: number; to: number }[] = [];
      victimLink?.on('down', () => victimOffline.push({ from: Date.now(), to: Number.POSITIVE_INFINITY }));
      victimLink?.on('up', () => {
        const last = victimOffline.at(-1);
        if (last && last.to === Number.POSITIVE_INFINITY) last.to = Date.now();
      });
      const victimSettled = () =>
        victimLink?.connected === true && (victimOffline.at(-1)?.to ?? 0) <= Date.now() - VICTIM_SETTLE_MS;
      const attack = async (atS: number) => {
        await new Promise((r) => setTimeout(r, atS * 1000));
        await rogueStation(
          broker.url,
          devices.rogue,
          { cluster: victim, station: devices.stations[1]?.id ?? fullDisk },
          tally,
        );
        await until('victim connected', victimSettled, 60_000).catch(() => undefined);
        await forgeCommands(broker.url, session.mqttPassword, session.keyPem, victim, tally);
      };
      const fill = async () => {
        await new Promise((r) => setTimeout(r, SECONDS * 150));
        stations.get(fullDisk)?.uplink.cut();
        faults.push({
          what: `disk budget ${fullDisk}`,
          atS: SECONDS * 0.15,
          durationS: SECONDS * 0.45,
          startedAtS: SECONDS * 0.15,
        });
        await new Promise((r) => setTimeout(r, SECONDS * 450));
        stations.get(fullDisk)?.uplink.restore();
      };
      const record = (r: FaultRecord) => {
        faults.push(r);
        note(startedAt, `${r.what} at ${r.startedAtS.toFixed(1)} s for ${r.durationS.toFixed(1)} s`);
      };
      const faultPhase = await within(
        SECONDS * 1000 + 300_000,
        Promise.all([
          runKills(plan.kills, services, startedAt, record),
          runCuts(plan.cuts, uplinks, startedAt, (r) => faults.push(r)),
          attack(SECONDS * 0.3).then(() => note(startedAt, 'attack round 1 done')),
          attack(SECONDS * 0.65).then(() => note(startedAt, 'attack round 2 done')),
          fill().then(() => note(startedAt, 'full-disk station back online')),
          new Promise((r) => setTimeout(r, SECONDS * 1000)),
        ]),
      );
      stations.stopProducing();
      const producedForS = (Date.now() - startedAt) / 1000;

      // Everything the gateways hold must reach the broker, and the collector must store it.
      fleet.stopDropouts();
      stationDropouts.stopNew();
      const lastEnd = Math.max(...times) + bulletin.durationMs / SPEED + 2000;
      await until('broadcasts over', () => Date.now() > lastEnd, 60_000);
      const queued = () => stations.queued + fleet.all().reduce((n, c) => n + c.gateway.outbox.depth, 0);
      note(startedAt, 'faults over; settling');
      await until('gateway queues empty', () => queued() === 0, 180_000);
      ledger = new Ledger(layout.timeSeries, layout.collectorState);
      const openLedger = ledger;
      const input = {
        ledger: openLedger,
        stations: stations.stations,
        clusters: fleet.all(),
        times,
        audioId: bulletin.audioId,
        onTimeMs: ON_TIME_MS,
        played,
        tally,
        rogue: devices.rogue.id,
        startedAt,
        victimOffline,
        brokerDown: faults
          .filter((f) => f.what === 'SIGKILL broker')
          .map((f) => ({
            from: startedAt + f.startedAtS * 1000,
            to: startedAt + (f.startedAtS + f.durationS + (f.restartS ?? 0)) * 1000,
          })),
      };
      // Settled means: nothing queued anywhere and the collector's view agrees with the gateways'.
      await until(
        'collector settled',
        () => queued() === 0 && judge(input).problems.length === 0,
        120_000,
      ).catch(() => undefined);
      const settledAfterS = (Date.now() - startedAt) / 1000 - producedForS;
      const verdict = judge(input);
      const health = await healthOf(services);
      const summary = {
        soak: 'system-province',
        seconds: SECONDS,
        seed: SEED,
        clusters: CLUSTERS,
        stations: STATIONS,
        area: PROVINCE_AREA_ID,
        kills: faults
          .filter((f) => f.what.startsWith('SIGKILL'))
          .map((f) => ({
            what: f.what,
            atS: +f.startedAtS.toFixed(1),
            downS: +f.durationS.toFixed(1),
            restartS: +(f.restartS ?? 0).toFixed(1),
          })),
        uplinkCuts: faults.filter((f) => f.what.startsWith('cut')).length,
        ...verdict.counts,
        health,
        gatewaysConnected: fleet.connected().length + stations.connected(),
        setupS: +setupS.toFixed(1),
        producedForS: +producedForS.toFixed(1),
        settledAfterS: +settledAfterS.toFixed(1),
        attackSessionsFailed: tally.malformedUnconfirmed + tally.forgedUnconfirmed,
        forgedRoundsAtS: tally.rounds.map((r) => +((r.at - startedAt) / 1000).toFixed(1)),
        victimOfflineS: victimOffline.map((d) =>
          [d.from, d.to].map((t) => +((t - startedAt) / 1000).toFixed(1)),
        ),
        totalS: +((Date.now() - t0) / 1000).toFixed(1),
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);

      expect(faultPhase, 'every fault and attack finished').not.toBe('timeout');
      expect(verdict.problems).toEqual([]);
      expect(health).toEqual({ broker: true, collector: true, console: true });
      for (const c of ['broker', 'collector', 'console'])
        expect(summary.kills.filter((k) => k.what === `SIGKILL ${c}`).length).toBeGreaterThanOrEqual(1);
      expect(await fleet.waitConnected(30_000)).toEqual([]);
    },
    SECONDS * 1000 + 600_000,
  );
});
