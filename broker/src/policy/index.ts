export { SERVICE_SUBSCRIPTIONS, canPublish, canSubscribe } from './acl.js';
export { emqxRoutes } from './emqx-routes.js';
export type { EmqxDeps } from './emqx-routes.js';
export { goAuthRoutes } from './go-auth-routes.js';
export type { GoAuthDeps } from './go-auth-routes.js';
export { mosquittoAcl } from './mosquitto-acl.js';
export { DEVICE_ROLES, SERVICE_ROLES } from './principal.js';
export type { DeviceRole, Principal, ServiceRole } from './principal.js';
export { MAX_TOPIC_BYTES, MAX_TOPIC_LEVELS } from './topic-shape.js';
