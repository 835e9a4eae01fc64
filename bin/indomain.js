#!/usr/bin/env node
// indomain needs Node 24 (a maintained V8 for the sandbox). npm scripts and npx put the
// project's own Node 24 (the `node` devDependency) first on PATH.
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  process.stderr.write(`indomain needs Node 24 or later; this is ${process.version}. Run it through npm (npm start, npx indomain …).\n`)
  process.exit(1)
}
// compiled code is cached on disk (Node's compile cache, checked against each source): a command
// starts in about half the time
const { enableCompileCache } = await import('node:module')
enableCompileCache?.()
await import('../runtime/cli/main.ts')
