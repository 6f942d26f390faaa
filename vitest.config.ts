import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Learning tests train small policies and the env tests spawn game processes: generous
    // limits, since CI machines are noisy; no test asserts a duration.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Two test files train side by side: a multi-threaded learner's spinning XNNPACK threads would
    // lose their cores to the other file's processes and make every op wait.
    env: { THREE_RL_WASM_THREADS: '1' },
  },
});
