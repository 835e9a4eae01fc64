#!/usr/bin/env node
// `npm run bench [-- <id prefix>…]`: the benchmarks need Node 24 (the sandbox's V8, .ts run
// natively). npm scripts put the project's own Node 24 (the `node` devDependency) first on PATH.
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  process.stderr.write(`the benchmarks need Node 24 or later; this is ${process.version}. Run them through npm: npm run bench\n`)
  process.exit(1)
}
await import('../benchmarks/run.ts')
