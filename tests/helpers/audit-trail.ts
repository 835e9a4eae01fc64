/**
 * The audit trail as tests read it: straight from the embedded state database (read-only, beside
 * the server that writes it), as the JSON lines `audit export` writes; and a tamperer that edits
 * an entry in place, as someone with write access to the database would.
 */
import { DatabaseSync } from 'node:sqlite'
import type { JSONWebKeySet } from 'jose'
import { createChainVerifier, type AuditEntry, type AuditVerdict } from '../../runtime/audit/index.ts'

function lines(stateLocation: string): string[] {
  const db = new DatabaseSync(stateLocation, { readOnly: true, timeout: 10_000 })
  try {
    return db.prepare('SELECT entry FROM audit_entries ORDER BY seq').all().map((row) => String(row.entry))
  } finally {
    db.close()
  }
}

/** The trail as JSON lines, each ending in a newline. */
export function auditText(stateLocation: string): string {
  return lines(stateLocation).map((line) => `${line}\n`).join('')
}

export function auditEntries(stateLocation: string): AuditEntry[] {
  return lines(stateLocation).map((line) => JSON.parse(line) as AuditEntry)
}

export function verifyTrail(stateLocation: string, jwks: JSONWebKeySet, head?: string): AuditVerdict {
  const verifier = createChainVerifier(jwks, head)
  for (const line of lines(stateLocation)) if (!verifier.push(line)) break
  return verifier.verdict()
}

/** Runs raw SQL on the state (a tamperer's access). */
export function tamperState(stateLocation: string, sql: string, ...params: (string | number)[]): void {
  const db = new DatabaseSync(stateLocation, { timeout: 10_000 })
  try {
    db.prepare(sql).run(...params)
  } finally {
    db.close()
  }
}
