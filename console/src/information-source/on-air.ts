import type { Logger } from 'pino';
import type { SessionUser } from '../app/env.js';
import type { Broadcasting } from '../broadcast/index.js';
import { toLocalIso } from '../broadcast/time.js';
import type { Bulletin } from './bulletin-store.js';
import type { InformationSourceExchange } from './exchange.js';

/** Gateways need a moment to fetch a bulletin's audio before its slot; a slot already past starts then. */
const LEAD_MS = 60_000;
const EMERGENCY_REPEAT = 3;

/** The province as the actor of what Circular 39 airs without a commune decision. */
function provinceActor(issuer: string): SessionUser {
  const name = `Hệ thống thông tin nguồn (${issuer})`.slice(0, 200);
  return { id: 'information-source', username: name, displayName: name, roles: ['admin'], areaIds: [] };
}

/**
 * Puts the province's bulletins on air as Circular 39/2020/TT-BTTTT's levels say: an emergency plays at
 * once on every cluster of the communes it names; a priority bulletin goes into the programme at once
 * (a clash with the commune's own priority item waits for the operator to order them); a normal one
 * waits for the commune's approval and then enters the programme in the approver's name.
 */
export class BulletinsOnAir {
  constructor(
    private readonly deps: {
      exchange: InformationSourceExchange;
      broadcasting: Pick<Broadcasting, 'broadcasts' | 'bulletins'>;
      log: Logger;
      /** Off: emergencies wait in the approval list like the others (a province that wants a human check). */
      emergencyAtOnce: boolean;
      now?: () => number;
    },
  ) {}

  /** Called by the intake for each bulletin taken in (its audio is in the library by then). */
  async received(bulletinId: string): Promise<void> {
    const { exchange, log } = this.deps;
    const b = exchange.bulletins.get(bulletinId, this.now());
    if (!b || b.status !== 'pending-approval' || b.level === 'normal') return;
    if (b.level === 'emergency' && !this.deps.emergencyAtOnce) return;
    const actor = provinceActor(b.issuer);
    try {
      await this.air(b, actor);
      exchange.decide(b, 'approved', actor.username, 'Thông tư 39/2020/TT-BTTTT: phát không chờ xã duyệt');
    } catch (err) {
      // Left pending: the commune sees it first in the list and can still put it on air by hand.
      log.error({ bulletinId, level: b.level, err: (err as Error).message }, 'bulletin could not go on air');
    }
  }

  /** After a restart: what was taken in but not yet aired (a crash between intake and airing). */
  async catchUp(): Promise<void> {
    for (const b of this.deps.exchange.bulletins.list(this.now(), 'pending-approval'))
      await this.received(b.id);
  }

  /** Called after a commune user approved the bulletin in the console. */
  async approved(b: Bulletin, user: SessionUser): Promise<void> {
    try {
      await this.air(b, user);
    } catch (err) {
      this.deps.log.error({ bulletinId: b.id, err: (err as Error).message }, 'approved bulletin not aired');
    }
  }

  private async air(b: Bulletin, user: SessionUser): Promise<void> {
    if (!b.audioId) throw new Error(`bulletin ${b.id} has no audio in the library`);
    const { broadcasts, bulletins } = this.deps.broadcasting;
    if (b.level === 'emergency') {
      const sent = await broadcasts.emergency(
        user,
        {
          targets: b.areaIds.map((areaId) => ({ kind: 'area' as const, areaId })),
          playlist: [b.audioId],
          repeat: EMERGENCY_REPEAT,
          volume: 100,
          title: b.title,
        },
        'information-source',
      );
      this.deps.log.info({ bulletinId: b.id, broadcastId: sent.id }, 'emergency bulletin on air');
      return;
    }
    const slot = toLocalIso(Math.max(b.validFrom, this.now() + LEAD_MS));
    for (const areaId of b.areaIds) {
      const queued = await bulletins.receive(
        {
          level: b.level,
          title: b.title,
          source: b.issuer.slice(0, 200),
          areaId,
          playlist: [b.audioId],
          date: slot.slice(0, 10),
          time: slot.slice(11, 19),
        },
        user.username,
      );
      // The approver's decision is the commune's acceptance of a normal bulletin.
      if (queued.status === 'awaiting-acceptance') await bulletins.accept(user, queued.id, true);
    }
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
