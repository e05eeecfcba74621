export { reportRoutes, type ReportRouteOptions } from './routes.js';
export { buildBroadcastLog, type BroadcastLog, type BroadcastLogRow } from './broadcast-log.js';
export {
  type BroadcastRecord,
  type BroadcastRecordSource,
  NO_BROADCAST_RECORDS,
  sqlBroadcastRecords,
} from './broadcast-records.js';
export { broadcastLogCsv } from './csv.js';
export { broadcastLogHtml } from './html.js';
export { openPlaybackSource, type PlaybackEventSource } from './playback-source.js';
