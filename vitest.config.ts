import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build-dist.ts'],
    // Long known answers (10^6 SM4 iterations, PBKDF2) on the pure backend take seconds.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
