import { OpenAPIHono } from '@hono/zod-openapi';
import { migrate } from '@xaso/broker';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { Bulletins } from './bulletin/bulletins.js';
import { CapIntake } from './cap/cap-intake.js';
import { listenForAcks } from './delivery/ack-intake.js';
import { CommandCatchUp } from './delivery/catch-up.js';
import { DeliveryTracker } from './delivery/tracker.js';
import { BroadcastStore } from './live/broadcast-store.js';
import { Broadcasts } from './live/broadcasts.js';
import { BROADCAST_NAMESPACE, broadcastMigrations } from './migrations.js';
import { broadcastLiveRoutes } from './routes/broadcast-routes.js';
import { bulletinRoutes } from './routes/bulletin-routes.js';
import { capRoutes } from './routes/cap-routes.js';
import { errorResponse } from './routes/http.js';
import { documentRoutes } from './routes/openapi-docs.js';
import { scheduleCalendarRoutes } from './routes/schedule-calendar-routes.js';
import { scheduleRoutes } from './routes/schedule-routes.js';
import { Programme } from './schedule/programme.js';
import { ScheduleStore } from './schedule/schedule-store.js';
import { Schedules } from './schedule/schedules.js';

export interface Broadcasting {
  routes: OpenAPIHono<AppEnv>;
  schedules: Schedules;
  programme: Programme;
  broadcasts: Broadcasts;
  cap: CapIntake;
  bulletins: Bulletins;
  tracker: DeliveryTracker;
  /** Resolves once the ack subscription is in place. */
  ready: Promise<void>;
  close(): void;
}

/** Wires the broadcast module onto the console context: tables, ack intake, services and routes. */
export function createBroadcasting(ctx: ConsoleContext, now: () => number = Date.now): Broadcasting {
  migrate(ctx.db, BROADCAST_NAMESPACE, broadcastMigrations);
  const log = ctx.log.child({ module: 'broadcast' });
  const deps = { ...ctx, log };
  const scheduleStore = new ScheduleStore(ctx.db);
  const programme = new Programme(deps, scheduleStore, now);
  const schedules = new Schedules(deps, scheduleStore, programme, now);
  const tracker = new DeliveryTracker(ctx.db, log, 250, now);
  const catchUp = new CommandCatchUp(
    { uplink: ctx.uplink, log, groupsOf: (id) => ctx.registry.getDevice(id)?.groups ?? [] },
    tracker,
    now,
  );
  const stopCatchUp = ctx.fleet ? catchUp.follow(ctx.fleet.presence) : () => undefined;
  const broadcasts = new Broadcasts(deps, new BroadcastStore(ctx.db), tracker, now, catchUp);
  const cap = new CapIntake(deps, ctx.db, broadcasts, now);
  const bulletins = new Bulletins(deps, ctx.db, schedules);
  ctx.audio.addReferenceCheck?.((audioId) => [
    ...schedules
      .list()
      .filter((s) => s.playlist.includes(audioId))
      .map((s) => `schedule "${s.title}" (${s.id})`),
    ...broadcasts
      .list('pending-approval')
      .filter((b) => b.request.kind === 'play' && b.request.playlist.includes(audioId))
      .map((b) => `broadcast waiting for approval (${b.id})`),
  ]);
  const ready = listenForAcks(deps, (ack) => {
    if (ack.ref.kind === 'command') tracker.record(ack);
    else if (ack.ref.kind === 'schedule') programme.recordAck(ack);
  });
  ready.catch((err: unknown) => log.error({ err }, 'could not subscribe to gateway acks'));

  const routes = new OpenAPIHono<AppEnv>();
  routes.onError((err, c) => errorResponse(err, c, log));
  documentRoutes(routes);
  // Before scheduleRoutes: /schedules/check and /schedules/calendar must not be taken for /schedules/:id.
  routes.route('/', scheduleCalendarRoutes(ctx, schedules));
  routes.route('/', scheduleRoutes(ctx, schedules, programme));
  routes.route('/', broadcastLiveRoutes(ctx, broadcasts, tracker, schedules));
  routes.route('/', capRoutes(ctx, cap));
  routes.route('/', bulletinRoutes(ctx, bulletins));
  const close = () => {
    stopCatchUp();
    cap.close();
    tracker.close();
  };
  return { routes, schedules, programme, broadcasts, cap, bulletins, tracker, ready, close };
}

/** The broadcast API, mounted by the console app under /api. */
export function broadcastRoutes(ctx: ConsoleContext): OpenAPIHono<AppEnv> {
  return createBroadcasting(ctx).routes;
}
