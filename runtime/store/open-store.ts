/**
 * The one way to open the in-domain store. DuckDB runs with external access disabled and its
 * configuration locked, so no SQL through this handle can read or write files, attach another
 * database, install or load extensions, or change a setting back. The only files it may touch
 * are the store itself and, for an import, the one delivered file named in `allowedPaths`.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { RuntimeError } from '../errors.ts'
import { quoteLiteral } from './schema.ts'

export type StoreAccess = 'read-only' | 'read-write'

export type OpenStoreOptions = {
  readonly access: StoreAccess
  /** Create the file when it does not exist (builds only). */
  readonly create?: boolean
  /** Files readable despite the lock-down: exactly the file being imported. */
  readonly allowedPaths?: readonly string[]
  readonly threads?: number
  readonly memoryLimit?: string
}

export type Store = {
  readonly path: string
  readonly connection: DuckDBConnection
  /** A further connection to the same locked-down instance. */
  connect(): Promise<DuckDBConnection>
  close(): void
}

export async function openStore(path: string, options: OpenStoreOptions): Promise<Store> {
  if (!options.create && !existsSync(path)) {
    throw new RuntimeError('ERR_STORE_MISSING', 'The store does not exist; build it with `indomain catalog build`', {
      details: { path },
    })
  }
  if (options.create === true) mkdirSync(dirname(path), { recursive: true })
  let instance: DuckDBInstance
  try {
    instance = await DuckDBInstance.create(path, {
      access_mode: options.access === 'read-only' ? 'READ_ONLY' : 'READ_WRITE',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      threads: String(options.threads ?? 2),
      memory_limit: options.memoryLimit ?? '4GB',
    })
  } catch (cause) {
    throw new RuntimeError('ERR_STORE_MISSING', 'The store could not be opened', { cause, details: { path } })
  }
  const connection = await instance.connect()
  try {
    if (options.allowedPaths !== undefined && options.allowedPaths.length > 0) {
      await connection.run(`SET allowed_paths = [${options.allowedPaths.map(quoteLiteral).join(', ')}]`)
    }
    // one clock for every stored time: UTC, whatever the machine's zone (quotas, statements and the audit trail agree)
    await connection.run("SET GLOBAL TimeZone = 'UTC'")
    await connection.run("SET TimeZone = 'UTC'")
    await connection.run('SET enable_external_access = false')
    await connection.run('SET lock_configuration = true')
  } catch (cause) {
    connection.closeSync()
    instance.closeSync()
    throw new RuntimeError('ERR_INTERNAL', 'The store could not be locked down', { cause })
  }
  const extra: DuckDBConnection[] = []
  let closed = false
  return {
    path,
    connection,
    async connect() {
      const c = await instance.connect()
      extra.push(c)
      return c
    },
    close() {
      if (closed) return
      closed = true
      for (const c of extra) c.closeSync()
      connection.closeSync()
      instance.closeSync()
    },
  }
}

/** Translates DuckDB's permission failures into the store's typed error. */
export function isLockDownViolation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /Permission Error|configuration has been locked|disabled by configuration|disabled through configuration/.test(message)
}
