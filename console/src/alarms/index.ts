import type { OpenAPIHono } from '@hono/zod-openapi';
import { migrate } from '@xaso/broker';
import { filters } from '@xaso/device-profiles/contract';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { AlarmWarnings, type EmergencySender } from './alarm-warnings.js';
import { type AlarmWarningConfigInput, AlarmWarningConfigSchema } from './config.js';
import { ALARM_WARNING_NAMESPACE, alarmWarningMigrations } from './migrations.js';
import { alarmWarningRoutes } from './routes.js';
import { WarningStore } from './warning-store.js';

export { ALARM_ACTOR, AlarmWarnings } from './alarm-warnings.js';
export { announcementFor } from './announcement.js';
export { AlarmWarningConfigSchema } from './config.js';
export type { AlarmWarningConfig, AlarmWarningConfigInput } from './config.js';

export interface AlarmWarningModule {
  routes: OpenAPIHono<AppEnv>;
  warnings: AlarmWarnings;
  /** Resolves once the alarm subscription is in place. */
  ready: Promise<void>;
}

/** Subscribes to every station's alarm topic and turns raised autoBroadcast alarms into warnings. */
export function createAlarmWarnings(
  ctx: ConsoleContext,
  broadcasts: EmergencySender,
  config: AlarmWarningConfigInput = {},
  now: () => number = Date.now,
): AlarmWarningModule {
  migrate(ctx.db, ALARM_WARNING_NAMESPACE, alarmWarningMigrations);
  const store = new WarningStore(ctx.db);
  const log = ctx.log.child({ module: 'alarms' });
  const warnings = new AlarmWarnings(
    { ...ctx, log },
    store,
    broadcasts,
    AlarmWarningConfigSchema.parse(config),
    now,
  );
  const ready = ctx.uplink.subscribe(filters.allAlarms, warnings.receive);
  ready.catch((err: unknown) => log.error({ err }, 'could not subscribe to collector alarms'));
  return { routes: alarmWarningRoutes(ctx, store), warnings, ready };
}
