// Real servers from Debian packages for integration tests: loopback, free ports, temp dirs.
export { ensurePackage, findBinary, pythonWithPymodbus } from './packages.js';
export { freePort, tempDir } from './ports.js';
export {
  type ChildSpec,
  type ServerHandle,
  READY_TIMEOUT_MS,
  exitOf,
  httpStatusIs,
  killChild,
  logTail,
  manageServer,
  onFreshPorts,
  spawnReady,
  tcpOpen,
} from './process.js';
export {
  type InfluxSeries,
  type InfluxStatementResult,
  createDatabase,
  influxQuery,
  influxWrite,
  startInfluxDB,
} from './influxdb.js';
export {
  type VictoriaExportLine,
  startVictoriaMetrics,
  victoriaExport,
  victoriaFlush,
  victoriaPersist,
} from './victoria-metrics.js';
export {
  type MosquittoOptions,
  mosquittoReloads,
  startMosquitto,
  waitForMosquittoReload,
} from './mosquitto.js';
export { type PtyPair, startPtyPair } from './pty.js';
export { chromiumLaunchArgs, chromiumPath, launchBrowser } from './chromium.js';
