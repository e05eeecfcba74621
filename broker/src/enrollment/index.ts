export { enrollmentRoutes } from './routes.js';
export type { EnrollmentDeps } from './routes.js';
export type { RateLimit } from './token-bucket.js';
