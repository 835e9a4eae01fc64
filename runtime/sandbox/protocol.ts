/**
 * Names shared by the two halves of the sandbox protocol (the host's bundler and worker, and the
 * code that runs in the isolate), kept apart from either so that the worker loads no bundler.
 */

/**
 * The variable the bundle assigns its module's exports to. The bundle is evaluated inside a
 * function (product-isolate.ts), so this is a local of that function, never a global.
 */
export const BUNDLE_EXPORTS = '__indomain_product'
