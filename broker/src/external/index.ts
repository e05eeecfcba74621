export { MosquittoCredentials, MOSQUITTO_NAMESPACE } from './mosquitto-credentials.js';
export type { IssuedCredentials } from './mosquitto-credentials.js';
export {
  ACL_FILE,
  CONFIG_FILE,
  PASSWORD_FILE,
  mosquittoFiles,
  writeMosquittoFiles,
} from './mosquitto-files.js';
export type { MosquittoFiles } from './mosquitto-files.js';
export {
  MOSQUITTO_PBKDF2_ITERATIONS,
  matchesMosquittoHash,
  mosquittoPasswordHash,
} from './mosquitto-password.js';
export { MosquittoSync } from './mosquitto-sync.js';
export type { MosquittoSyncOptions } from './mosquitto-sync.js';
export { mosquittoEnrollmentRoutes } from './mosquitto-enrollment.js';
export type { MosquittoEnrollmentDeps } from './mosquitto-enrollment.js';
