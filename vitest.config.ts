import { defineConfig } from 'vitest/config';

// Integration tests start real servers, so a generous timeout; two workers on CI's two cores.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
