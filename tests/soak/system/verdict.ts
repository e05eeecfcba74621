import { topics } from '@xaso/device-profiles/contract';
import type { SimulatedCluster } from '../../../scripts/fleet/speaker-fleet.js';
import type { AttackTally } from './attacks.js';
import type { Ledger, StoredEvent } from './ledger.js';
import type { SimulatedStation } from './stations.js';

export interface VerdictInput {
  ledger: Ledger;
  stations: readonly SimulatedStation[];
  clusters: readonly SimulatedCluster[];
  /** Scheduled start of each province-wide broadcast. */
  times: readonly number[];
  audioId: string;
  onTimeMs: number;
  played: readonly { cluster: string; source: string; startedAt: number }[];
  tally: AttackTally;
  rogue: string;
  /** When the broker was down (SIGKILL to restart), epoch ms: QoS 1 messages in its memory die with it. */
  brokerDown: readonly { from: number; to: number }[];
  /** When the run started, epoch ms: problems name times as seconds into the run, as the kill list does. */
  startedAt?: number;
  /** When the forged commands' target was disconnected, epoch ms: a clean session misses what is sent then. */
  victimOffline: readonly { from: number; to: number }[];
}

/** Refusals each forgeCommands() round must cause: bad signature, unsigned, expired, replayed. */
const REFUSALS_PER_ROUND = 4;

/** Compares what the gateways produced with what the collector kept; problems are human-readable. */
export function judge(o: VerdictInput): { counts: Record<string, number>; problems: string[] } {
  const problems: string[] = [];
  const stored = o.ledger.pointTimes('pm25');
  const events = o.ledger.events();
  const byDevice = new Map<string, StoredEvent[]>();
  for (const e of events) byDevice.set(e.device, [...(byDevice.get(e.device) ?? []), e]);

  // Readings: every one stored exactly once; a full disk queue may drop only what its events report.
  let produced = 0;
  let storedPoints = 0;
  let thinnedAway = 0;
  const missingBy = new Map<string, number>();
  for (const s of o.stations) {
    const have = stored.get(s.id) ?? [];
    const want = new Set(s.produced);
    produced += s.produced.length;
    storedPoints += have.length;
    const extra = have.filter((t) => !want.has(t));
    if (extra.length > 0) problems.push(`${s.id}: ${extra.length} stored points it never produced`);
    const haveSet = new Set(have);
    const missing = s.produced.filter((t) => !haveSet.has(t));
    const thinned = (byDevice.get(s.id) ?? []).filter((e) => e.kind === 'queue-thinned');
    const reported = thinned.reduce((n, e) => n + Number(e.body.removed ?? 0), 0);
    const covered = (t: number) =>
      thinned.some((e) => Number(e.body.fromTs) <= t && t <= Number(e.body.toTs));
    thinnedAway += missing.length;
    if (missing.length > 0) missingBy.set(s.id, missing.length);
    // Reported may exceed missing: a batch thinned while its PUBACK was in flight had reached the broker.
    if (missing.some((t) => !covered(t)) || missing.length > reported)
      problems.push(
        `${s.id}: ${missing.length} readings missing, ${reported} reported thinned (${thinned.length} events)${atRunTimes(missing, o.startedAt)}`,
      );
  }
  if ((stored.get(o.rogue) ?? []).length > 0) problems.push(`the rogue station's data was stored`);
  const rollup = o.ledger.rollupCount('pm25');
  if (rollup !== storedPoints) problems.push(`rollups count ${rollup} pm25 points, raw has ${storedPoints}`);

  // Event logs (playback, refusals, lifecycle): every seq each gateway produced, once.
  let eventsProduced = 0;
  for (const g of [...o.clusters, ...o.stations]) {
    const last = g.gateway.outbox.lastSeq('event');
    eventsProduced += last + 1;
    const seqs = (byDevice.get(g.id) ?? []).map((e) => e.seq);
    const whole = seqs.length === last + 1 && seqs.every((s, i) => s === i);
    if (!whole) problems.push(`${g.id}: produced events 0..${last}, collector has ${seqs.length}`);
  }

  // Broadcasts: each cluster played each on time, or said it missed it and why.
  let onTime = 0;
  let missed = 0;
  for (const c of o.clusters) {
    const playback = (byDevice.get(c.id) ?? []).filter((e) => e.kind === 'playback');
    for (const at of o.times) {
      const slot = playback.filter((e) => e.body.scheduledAt === at);
      const starts = slot.filter((e) => e.body.phase === 'start');
      const ends = slot.filter((e) => e.body.phase === 'end');
      const miss = slot.find((e) => e.body.phase === 'missed' && typeof e.body.reason === 'string');
      if (starts.length === 1 && ends.length === 1 && Math.abs((starts[0]?.ts ?? 0) - at) <= o.onTimeMs)
        onTime++;
      else if (miss) missed++;
      else
        problems.push(
          `${c.id} @${new Date(at).toISOString()}: ${JSON.stringify(slot.map((e) => [e.body.phase, e.ts - at]))}`,
        );
    }
    const heard = o.played.filter((p) => p.cluster === c.id && p.source.includes(o.audioId)).length;
    const logged = playback.filter((e) => e.body.phase === 'start' && e.body.audioId === o.audioId).length;
    if (heard !== logged) problems.push(`${c.id}: played ${heard} times, ${logged} start logs stored`);
  }

  // Attacks.
  const forgedPlayed = o.played.filter((p) =>
    [...o.tally.forgedAudioIds].some((id) => p.source.includes(id)),
  );
  if (forgedPlayed.length > 0) problems.push(`forged commands executed: ${JSON.stringify(forgedPlayed)}`);
  const refusals = events.filter(
    (e) =>
      e.kind === 'refused' &&
      (o.tally.forgedCommandIds.has(String(e.body.id)) || o.tally.replayedCommandIds.has(String(e.body.id))),
  );
  // Each round must be refused in full (bad signature, unsigned, expired, replay) unless the broker was
  // killed while it held the commands, or the gateway was offline: then it may never have seen some of them.
  let lostWithBroker = 0;
  let lostVictimOffline = 0;
  for (const round of o.tally.rounds) {
    const refused = refusals.filter((r) => round.ids.includes(String(r.body.id))).length;
    if (refused >= REFUSALS_PER_ROUND) continue;
    const brokerCrash = o.brokerDown.some((d) => d.from <= round.at + 60_000 && d.to >= round.at - 5_000);
    // A round takes a few seconds (the replay goes 1.5 s after the rest); 2 s before it covers the SUBACK.
    const victimAway = o.victimOffline.some((d) => d.from <= round.at + 15_000 && d.to >= round.at - 2_000);
    if (brokerCrash) lostWithBroker += REFUSALS_PER_ROUND - refused;
    else if (victimAway) lostVictimOffline += REFUSALS_PER_ROUND - refused;
    else
      problems.push(
        `forged round at ${new Date(round.at).toISOString()}: ${refused} of ${REFUSALS_PER_ROUND} refusals reported`,
      );
  }
  const forgedDone = o.ledger
    .acks()
    .filter(
      (a) =>
        a.status === 'done' &&
        o.tally.forgedCommandIds.has(a.refId) &&
        refusals.every((r) => r.body.id !== a.refId),
    );
  if (forgedDone.length > 0) problems.push(`forged commands acknowledged as done: ${forgedDone.length}`);
  // A genuine command is done once; a second "done" for its id would be the replay executed.
  const replayDone = new Map<string, number>();
  for (const a of o.ledger.acks())
    if (a.status === 'done' && o.tally.replayedCommandIds.has(a.refId))
      replayDone.set(a.refId, (replayDone.get(a.refId) ?? 0) + 1);
  const replaysRun = [...replayDone.values()].filter((n) => n > 1).length;
  if (replaysRun > 0) problems.push(`replayed commands executed again: ${replaysRun}`);
  const rogueTopic = topics.telemetry(o.rogue);
  const dead = o.ledger.deadLetters().filter((d) => d.topic === rogueTopic && d.reason.length > 0);
  if (dead.length < o.tally.malformedAcked)
    problems.push(`${o.tally.malformedAcked} malformed messages acknowledged, ${dead.length} dead-lettered`);
  // Thinned readings are gone for good, so the collector keeps their seqs as open gaps: those, and only
  // those, may stay open.
  const gaps = o.ledger.openGaps();
  const gapSeqs = new Map<string, number>();
  for (const g of gaps)
    gapSeqs.set(
      `${g.device_id}/${g.kind}`,
      (gapSeqs.get(`${g.device_id}/${g.kind}`) ?? 0) + g.to_seq - g.from_seq + 1,
    );
  for (const [key, n] of gapSeqs) {
    const [device, kind] = key.split('/');
    const thinned = kind === 'telemetry' ? (missingBy.get(device ?? '') ?? 0) : 0;
    if (n !== thinned) problems.push(`${key}: ${n} seqs in open gaps, ${thinned} readings thinned`);
  }

  return {
    counts: {
      readingsProduced: produced,
      readingsStored: storedPoints,
      readingsThinnedByDiskBudget: thinnedAway,
      eventsProduced,
      eventsStored: events.length,
      broadcastsScheduled: o.times.length * o.clusters.length,
      broadcastsOnTime: onTime,
      broadcastsReportedMissed: missed,
      forgedCommandsSent: o.tally.forgedSent,
      forgedCommandsRefused: refusals.length,
      forgedCommandsLostWithBrokerCrash: lostWithBroker,
      forgedCommandsLostVictimOffline: lostVictimOffline,
      forgedCommandsExecuted: forgedPlayed.length,
      forgedCommandsAckedDone: forgedDone.length,
      malformedSent: o.tally.malformedAcked,
      malformedDeadLettered: dead.length,
      aclViolationsAttempted: o.tally.aclAttempts,
      openGaps: gaps.length,
    },
    problems,
  };
}

/** ` at +12.3 s, +45.6 s` (the first five) when the run's start is known: to line losses up with the faults. */
function atRunTimes(times: readonly number[], startedAt: number | undefined): string {
  if (startedAt === undefined || times.length === 0) return '';
  const shown = times.slice(0, 5).map((t) => `+${((t - startedAt) / 1000).toFixed(1)} s`);
  return ` at ${shown.join(', ')}${times.length > 5 ? ', …' : ''}`;
}
