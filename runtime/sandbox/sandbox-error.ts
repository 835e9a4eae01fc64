/**
 * A failed product run. What callers may see is the code (and a partner's ProductError code);
 * what the partner's code said — message, stack, logs — is kept for the restricted audit
 * stream only, bounded and with host paths removed. `toJSON` never includes it.
 */
import { RuntimeError, type RuntimeErrorCode } from '../errors.ts'

export type PartnerDiagnostics = {
  readonly message?: string
  readonly stack?: string
  readonly logs: readonly string[]
}

export class SandboxError extends RuntimeError {
  /** For the audit stream only. */
  readonly diagnostics: PartnerDiagnostics

  constructor(code: RuntimeErrorCode, message: string, diagnostics: PartnerDiagnostics, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? undefined : { details })
    this.name = 'SandboxError'
    this.diagnostics = diagnostics
  }
}

/** Removes anything that looks like a host file path from partner text. */
export function trimHostPaths(text: string): string {
  return text.replace(/(?:file:\/\/)?\/(?:[\w.@-]+\/)+[\w.@-]+/g, '<path>')
}
