import { defineConfig } from 'vitest/config'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// one suite, five projects (run one with `npx vitest run --project <name>`):
// unit — pure modules and in-process stores; integration — servers, command lines, the state
// database across processes; attack — a hostile partner or caller; products — the products'
// evaluations on synthetic cities; browser — the console in Chromium
const INTEGRATION = ['tests/runtime/server/**/*.test.ts', 'tests/runtime/cli/**/*.test.ts', 'tests/runtime/state/**/*.test.ts', 'tests/runtime/audit/audit-head.test.ts']

// Node's on-disk compile cache for every process the suite starts (the workers, and the `indomain`
// commands, servers and state replicas the tests spawn, which inherit the environment): a command
// then starts in about half the time. V8 checks each entry against the source, so a changed file
// is simply compiled again.
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'indomain-node-compile-cache')

export default defineConfig({
  test: {
    // forked workers: isolated-vm (sandbox tests) needs --no-node-snapshot on Node 20+
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      // isolate: false — a worker runs one file after another without importing the runtime
      // again. Safe for these projects: no test mocks a module, the one that sets TZ puts it back,
      // each file makes its own stores, state, servers and sandbox pools in folders of its own and
      // closes them, and partner code runs in sandbox worker processes, never in the test's process.
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...INTEGRATION, 'tests/adversarial/**', 'tests/products/**', 'tests/console/**'], isolate: false } },
      { extends: true, test: { name: 'integration', include: INTEGRATION, isolate: false } },
      { extends: true, test: { name: 'attack', include: ['tests/adversarial/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'products', include: ['tests/products/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'browser', include: ['tests/console/**/*.test.ts'] } },
    ],
  },
})
