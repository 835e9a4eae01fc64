import { defineConfig } from 'vitest/config'

// one suite, five projects (run one with `npx vitest run --project <name>`):
// unit — pure modules and in-process stores; integration — servers, command lines, the state
// database across processes; attack — a hostile partner or caller; products — the products'
// evaluations on synthetic cities; browser — the console in Chromium
const INTEGRATION = ['tests/runtime/server/**/*.test.ts', 'tests/runtime/cli/**/*.test.ts', 'tests/runtime/state/**/*.test.ts', 'tests/runtime/audit/audit-head.test.ts']

export default defineConfig({
  test: {
    // forked workers: isolated-vm (sandbox tests) needs --no-node-snapshot on Node 20+
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...INTEGRATION, 'tests/adversarial/**', 'tests/products/**', 'tests/console/**'] } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
      { extends: true, test: { name: 'attack', include: ['tests/adversarial/**/*.test.ts'] } },
      { extends: true, test: { name: 'products', include: ['tests/products/**/*.test.ts'] } },
      { extends: true, test: { name: 'browser', include: ['tests/console/**/*.test.ts'] } },
    ],
  },
})
