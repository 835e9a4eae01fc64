/** A JWKS named on the command line: a file, or a URL fetched once (5 s at most). */
import { readFileSync } from 'node:fs'
import type { JSONWebKeySet } from 'jose'
import { RuntimeError } from '../errors.ts'

export async function readJwks(source: string): Promise<JSONWebKeySet> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { signal: AbortSignal.timeout(5000) })
    if (!response.ok) throw new RuntimeError(response.status === 404 ? 'ERR_NOT_FOUND' : 'ERR_PARAMS_INVALID', 'The JWKS could not be fetched', { details: { status: response.status } })
    return (await response.json()) as JSONWebKeySet
  }
  return JSON.parse(readFileSync(source, 'utf8')) as JSONWebKeySet
}
