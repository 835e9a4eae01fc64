/**
 * The operator console (运营控制台): the built page and its assets from `runtime/console/dist`,
 * served at `/console/` by the same server as the API it calls. Everything is local (no CDN), and
 * a strict content security policy allows scripts, styles and connections to this origin only,
 * so that a value shown on a screen can never run as code or send itself elsewhere.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'
import { RuntimeError } from '../../errors.ts'

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url))

export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
})

export const consoleRoutes: FastifyPluginAsync<{ readonly dist?: string }> = async (scope, options) => {
  const dist = options.dist ?? CONSOLE_DIST
  scope.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'))
  scope.get('/console', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'))
  if (!existsSync(`${dist}/index.html`)) {
    // the server still serves the API; the console says how to build it
    scope.get('/console/*', { schema: { hide: true } }, async () => {
      throw new RuntimeError('ERR_CONSOLE_NOT_BUILT', 'The console is not built: run npm run build:console')
    })
    return
  }
  await scope.register(fastifyStatic, {
    root: dist,
    prefix: '/console/',
    index: ['index.html'],
    decorateReply: false,
    // hashed asset names never change; the page itself is always revalidated
    setHeaders: (response, path) => {
      for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) void response.header(name, value)
      void response.header('cache-control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable')
    },
  })
}
