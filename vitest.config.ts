import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The collector suite needs a collector binary and minutes: `npm run test:collector`.
    exclude: [...configDefaults.exclude, 'test/collector/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep forked workers to two so loopback servers are not starved.
    pool: 'forks',
    maxWorkers: 2,
  },
});
