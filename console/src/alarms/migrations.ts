import type { Migration } from '@xaso/broker';

export const ALARM_WARNING_NAMESPACE = 'alarm-warnings';

/** One row per alarm id ever considered: the primary key is what keeps a warning to once per alarm. */
export const alarmWarningMigrations: Migration[] = [
  {
    version: 1,
    name: 'alarm warnings',
    sql: `CREATE TABLE alarm_warnings (
      alarm_id TEXT PRIMARY KEY,
      station_id TEXT NOT NULL,
      rule_id TEXT NOT NULL,
      commune_id TEXT,
      outcome TEXT NOT NULL,
      reason TEXT,
      broadcast_id TEXT,
      text TEXT,
      alarm_ts INTEGER NOT NULL,
      received_at INTEGER NOT NULL
    );
    CREATE INDEX alarm_warnings_commune ON alarm_warnings (commune_id, outcome, received_at);`,
  },
];
