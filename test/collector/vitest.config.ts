// `npm run test:collector`: the end-to-end suite through a real collector. Separate from the
// main suite (vitest.config.ts excludes test/collector) because it needs the collector binary
// (`npm run collector:build`) and takes minutes. Files run one at a time: each starts
// collectors, and the machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/collector/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
