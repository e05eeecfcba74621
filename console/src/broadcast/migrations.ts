import type { Migration } from '@xaso/broker';

export const BROADCAST_NAMESPACE = 'broadcast';

export const broadcastMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'schedules, broadcasts, deliveries, bulletins, cap alerts',
    sql: `
CREATE TABLE broadcast_schedules (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  target TEXT NOT NULL,
  recurrence TEXT NOT NULL,
  playlist TEXT NOT NULL,
  volume INTEGER NOT NULL,
  priority TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  status TEXT NOT NULL,
  origin TEXT NOT NULL DEFAULT 'commune',
  warnings TEXT,
  created_by TEXT NOT NULL,
  approved_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE broadcast_cluster_schedules (
  cluster_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  acked_version INTEGER,
  acked_status TEXT,
  acked_at INTEGER,
  reason TEXT
);
CREATE TABLE broadcasts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  priority TEXT NOT NULL,
  target TEXT NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL,
  origin TEXT NOT NULL,
  clusters TEXT NOT NULL,
  command_ids TEXT NOT NULL DEFAULT '[]',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  approved_by TEXT,
  decided_at INTEGER,
  decision_note TEXT,
  sent_at INTEGER
);
CREATE INDEX broadcasts_status ON broadcasts (status, created_at);
CREATE TABLE broadcast_deliveries (
  broadcast_id TEXT NOT NULL,
  cluster_id TEXT NOT NULL,
  status TEXT NOT NULL,
  ts INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  reason TEXT,
  PRIMARY KEY (broadcast_id, cluster_id, status)
);
CREATE TABLE broadcast_bulletins (
  id TEXT PRIMARY KEY,
  level TEXT NOT NULL,
  title TEXT NOT NULL,
  source TEXT NOT NULL,
  area_id TEXT NOT NULL,
  playlist TEXT NOT NULL,
  slot_at INTEGER NOT NULL,
  valid_to INTEGER,
  status TEXT NOT NULL,
  clash TEXT,
  play_order TEXT,
  schedule_id TEXT,
  decided_by TEXT,
  decided_at INTEGER,
  received_at INTEGER NOT NULL
);
CREATE TABLE broadcast_cap_alerts (
  identifier TEXT PRIMARY KEY,
  sender TEXT NOT NULL,
  sent TEXT NOT NULL,
  msg_type TEXT NOT NULL,
  expires INTEGER,
  area_ids TEXT NOT NULL,
  broadcast_id TEXT,
  state TEXT NOT NULL,
  received_at INTEGER NOT NULL
);`,
  },
];
