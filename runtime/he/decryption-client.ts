/** The runtime's side of the decryption service: an HTTP call carrying the approval and the ciphertext. */
import { RuntimeError } from '../errors.ts'
import type { DecryptionClient } from './encrypted-aggregate.ts'

export function decryptionClient(baseUrl: string): DecryptionClient {
  return async (approval, packed, groups) => {
    let response: Response
    try {
      response = await fetch(`${baseUrl.replace(/\/$/, '')}/v1/decrypt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ approval, ciphertext: Buffer.from(packed).toString('base64'), groups }),
      })
    } catch (cause) {
      throw new RuntimeError('ERR_DECRYPTION_REFUSED', 'The decryption service cannot be reached', { cause, details: { reason: 'UNREACHABLE' } })
    }
    const body = (await response.json().catch(() => ({}))) as { totals?: { group: number; total: string }[]; reason?: string }
    if (!response.ok || body.totals === undefined) {
      throw new RuntimeError('ERR_DECRYPTION_REFUSED', 'The decryption service refused', { details: { reason: body.reason ?? `HTTP_${response.status}` } })
    }
    return new Map(body.totals.map((t) => [t.group, BigInt(t.total)]))
  }
}
