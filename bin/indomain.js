#!/usr/bin/env node
// indomain needs Node 24 (a maintained V8 for the sandbox). npm scripts and npx put the
// project's own Node 24 (the `node` devDependency) first on PATH.
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  process.stderr.write(`indomain needs Node 24 or later; this is ${process.version}. Run it through npm (npm start, npx indomain …).\n`)
  process.exit(1)
}
await import('../runtime/cli/main.ts')
