/**
 * The command line is a front door like the HTTP API, with the same checks: a state-changing
 * command acts as the holder of a platform token (`--token`, or INDOMAIN_TOKEN), verified with the
 * installation's keys and its holder's standing, exactly as a route verifies it. The actor in the
 * audit trail is the token's holder, never a name typed on the command line: two operators means
 * two tokens. A refused token is recorded as a failed login, a wrong role as a refused
 * authorization, as over HTTP.
 */
import { Option, type Command } from 'commander'
import type { RuntimeConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { openKeys } from '../release/open-keys.ts'
import { platformHolderOf, type PlatformHolder } from '../server/platform-principal.ts'
import { platformTokenVerifier } from '../server/platform-tokens.ts'
import type { PlatformRole } from '../state/principals.ts'
import { withState } from '../state/state.ts'
import { audit } from './audit.ts'

/** Adds `--token` to a command that changes state. */
export function withTokenOption(command: Command): Command {
  return command.addOption(new Option('--token <token>', 'your platform token (default: INDOMAIN_TOKEN)'))
}

/**
 * The principal a command acts as, if its token is accepted for one of `roles`; refuses with
 * ERR_AUTH_REQUIRED (no token, or one that fails) or ERR_FORBIDDEN (another role), audited.
 */
export async function actingPrincipal(config: RuntimeConfig, roles: readonly PlatformRole[], options: { readonly token?: string }, command: string): Promise<PlatformHolder> {
  const token = (options.token ?? process.env.INDOMAIN_TOKEN ?? '').trim()
  if (token === '') throw new RuntimeError('ERR_AUTH_REQUIRED', 'This command changes state: give your platform token with --token or INDOMAIN_TOKEN')
  const keys = openKeys(config, 'production')
  const resolved = await withState(config.stateDatabase, (state) => platformHolderOf(token, { verify: platformTokenVerifier(() => keys.jwks()), principals: state.principals }))
  if (resolved.failure !== undefined) {
    await audit(config, { actor: 'anonymous', action: 'auth.failed', subject: 'cli', detail: { reason: resolved.failure, command } })
    throw new RuntimeError('ERR_AUTH_REQUIRED', 'Valid credentials are required')
  }
  const holder = resolved.holder
  if (!roles.includes(holder.role) || (holder.role === 'partner' && holder.principal === undefined)) {
    await audit(config, { actor: holder.id, action: 'authz.denied', subject: 'cli', detail: { kind: 'platform', role: holder.role, wanted: roles.join('|'), command } })
    throw new RuntimeError('ERR_FORBIDDEN', 'These credentials may not do this')
  }
  return holder
}
