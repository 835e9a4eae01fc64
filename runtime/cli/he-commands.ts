/**
 * `indomain he …`: homomorphic aggregates.
 * - `keygen` (the key custodian): BFV keys; the secret key sealed into the custodian's folder, the
 *   public and Galois keys into the runtime's.
 * - `encrypt <table> <field>` (the data provider): the field's values encrypted into the store.
 * - `decryption-service` (the custodian): the only process holding the secret key.
 * - `aggregate <table> <field> --by …` (an operator): count/sum/mean per group through the checks.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { loadCatalog } from '../../catalog/load-catalog.ts'
import { loadConfig, type RuntimeConfig } from '../config.ts'
import { RuntimeError } from '../errors.ts'
import { openAuditLog } from '../audit/index.ts'
import { openKeys } from '../release/open-keys.ts'
import { openKeyStore } from '../release/key-store.ts'
import { newReleaseId } from '../release/release-store.ts'
import { defaultPolicy } from '../release/release-policy.ts'
import { openStore } from '../store/open-store.ts'
import { generateHeKeys, loadPublicKeys, loadSecretKey, PUBLIC_KEYS_FILE, SECRET_KEY_FILE } from '../he/he-keys.ts'
import { encryptField, loadEncryptedColumn } from '../he/he-store.ts'
import { encryptedAggregate, type AggregateOp } from '../he/encrypted-aggregate.ts'
import { decryptionClient } from '../he/decryption-client.ts'
import { buildDecryptionService } from '../he/decryption-service.ts'
import { audit } from './audit.ts'
import { readJwks } from './load-jwks.ts'

function passphraseOf(config: RuntimeConfig): string {
  if (config.hePassphrase === undefined) throw new RuntimeError('ERR_HE_KEY', 'Set INDOMAIN_HE_PASSPHRASE (at least 12 characters): it seals the homomorphic secret key')
  return config.hePassphrase
}

const positiveNumber = (v: string) => {
  const n = Number(v)
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError('a non-negative number')
  return n
}

/** `table.field` or `table.field:via` (via: the encrypted table's field that references `table`'s key). */
function parseBy(text: string): { table: string; field: string; via?: string } {
  const m = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)(?::([a-z_][a-z0-9_]*))?$/.exec(text)
  if (m === null) throw new InvalidArgumentError('table.field, or table.field:via_field for a field of a referenced table')
  return { table: m[1]!, field: m[2]!, ...(m[3] === undefined ? {} : { via: m[3] }) }
}

export function registerHeCommands(program: Command): void {
  const he = program.command('he').description('homomorphic aggregates over encrypted columns (BFV)')

  he.command('keygen')
    .description('the key custodian: generate BFV keys (the secret key stays in the custodian\'s folder, sealed)')
    .action(async () => {
      const config = loadConfig()
      const { publicPath, secretPath } = await generateHeKeys(config.heCustodianDir, passphraseOf(config))
      mkdirSync(config.heDir, { recursive: true })
      copyFileSync(publicPath, join(config.heDir, PUBLIC_KEYS_FILE))
      await audit(config, { actor: 'custodian', action: 'he.keys_generated', subject: 'he', detail: { publicKeys: join(config.heDir, PUBLIC_KEYS_FILE) } })
      process.stdout.write(`secret key (sealed): ${secretPath}\npublic and Galois keys: ${join(config.heDir, PUBLIC_KEYS_FILE)}\n`)
    })

  he.command('encrypt <table> <field>')
    .description('the data provider: encrypt a numeric field into the store (scaled to integers, bounded)')
    .requiredOption('--max <value>', 'the largest value the field may hold (declared bound; larger values are refused)', positiveNumber)
    .option('--scale <n>', 'fixed-point scale: 1, 10, 100, 1000 or 10000 (100 keeps two decimals)', (v) => Number(v), 1)
    .option('--order-by <fields>', 'order the slots by these fields of the table (what products group by), comma-separated')
    .option('--drop-plaintext', 'remove the plaintext values from the table afterwards')
    .action(async (table: string, field: string, options: { max: number; scale: number; orderBy?: string; dropPlaintext?: boolean }) => {
      const config = loadConfig()
      const keys = await loadPublicKeys(join(config.heDir, PUBLIC_KEYS_FILE))
      const result = await encryptField({
        storePath: config.storePath,
        catalog: loadCatalog(config.catalogDir),
        keys,
        table,
        field,
        scale: options.scale,
        max: options.max,
        ...(options.orderBy === undefined ? {} : { orderBy: options.orderBy.split(',').map((s) => s.trim()) }),
        dropPlaintext: options.dropPlaintext === true,
      })
      await audit(config, { actor: 'provider', action: 'catalog.field_encrypted', subject: `${table}.${field}`, detail: { rows: result.rows, scale: options.scale, plaintextDropped: options.dropPlaintext === true } })
      process.stdout.write(`${table}.${field}: ${result.rows.toLocaleString('en')} values in ${result.chunks} ciphertexts (${(result.rows / result.seconds).toFixed(0)} values/s)\n`)
    })

  he.command('decryption-service')
    .description('the key custodian\'s decryption service: decrypts only gate-approved aggregates')
    .option('--port <port>', 'port', '8721')
    .requiredOption('--jwks <fileOrUrl>', 'the platform\'s public keys (its /.well-known/jwks.json)')
    .action(async (options: { port: string; jwks: string }) => {
      const config = loadConfig()
      const secret = await loadSecretKey(join(config.heCustodianDir, SECRET_KEY_FILE), passphraseOf(config))
      let jwks = await readJwks(options.jwks)
      // keys rotate: refresh the trusted set now and then
      const refresh = setInterval(() => void readJwks(options.jwks).then((k) => (jwks = k), () => undefined), 60_000)
      const serviceKeys = openKeyStore(join(config.heCustodianDir, 'service-keys.json'), passphraseOf(config), 'production')
      const log = openAuditLog({ path: join(config.heCustodianDir, 'decryption-audit.jsonl'), key: serviceKeys.active() })
      const app = buildDecryptionService({ secret, jwks: () => jwks, audit: log })
      await app.listen({ host: '127.0.0.1', port: Number(options.port) })
      process.stderr.write(`decryption service on http://127.0.0.1:${options.port}\n`)
      const stop = async () => {
        clearInterval(refresh)
        await app.close()
        await log.close()
        process.exit(0)
      }
      process.once('SIGINT', () => void stop())
      process.once('SIGTERM', () => void stop())
    })

  he.command('aggregate <table> <field>')
    .description('count, sum and mean of an encrypted field per group, through the release checks and the decryption service')
    .requiredOption('--by <table.field[:via]>', 'the plaintext field to group by', parseBy)
    .option('--ops <ops>', 'count,sum,mean', 'count,sum,mean')
    .option('--min-count <n>', 'minimum rows per released group (at least the policy\'s 10)', (v) => Number(v), 10)
    .option('--dominance <share>', 'largest share of a total one value may hold (at most the policy\'s 0.45)', (v) => Number(v), 0.45)
    .requiredOption('--consumer <id>', 'who the result is for')
    .option('--operator <id>', 'who runs it', 'operator')
    .action(async (table: string, field: string, options: { by: ReturnType<typeof parseBy>; ops: string; minCount: number; dominance: number; consumer: string; operator: string }) => {
      const config = loadConfig()
      // never looser than the release policy: a command is no way around the checks
      const policy = defaultPolicy('report')
      if (options.minCount < policy.minCount || options.dominance > policy.dominance.k / policy.dominance.n) {
        throw new RuntimeError('ERR_PARAMS_INVALID', 'The minimum count and dominance share may only be tighter than the release policy', { details: { minCount: policy.minCount, dominance: policy.dominance.k / policy.dominance.n } })
      }
      const ops = options.ops.split(',').map((s) => s.trim()) as AggregateOp[]
      if (!ops.every((o) => ['count', 'sum', 'mean'].includes(o))) throw new RuntimeError('ERR_PARAMS_INVALID', 'ops are count, sum and mean')
      const keysPath = join(config.heDir, PUBLIC_KEYS_FILE)
      if (!existsSync(keysPath)) throw new RuntimeError('ERR_HE_KEY', 'No homomorphic keys: run `indomain he keygen`')
      const store = await openStore(config.storePath, { access: 'read-only' })
      try {
        const releaseId = newReleaseId()
        const groups = await encryptedAggregate(
          { store: store.connection, catalog: loadCatalog(config.catalogDir), keys: await loadPublicKeys(keysPath), signingKey: openKeys(config, 'production').active(), decrypt: decryptionClient(config.heDecryptionUrl) },
          { table, field, by: options.by, ops, release: { id: releaseId, product: `he:${table}.${field}`, consumer: options.consumer }, minCount: options.minCount, dominanceShare: options.dominance },
        )
        await audit(config, { actor: options.operator, action: 'he.aggregated', subject: `${table}.${field}`, detail: { release: releaseId, by: `${options.by.table}.${options.by.field}`, consumer: options.consumer, groups: groups.length, suppressed: groups.filter((g) => 'suppressed' in g).length } })
        process.stdout.write(`${JSON.stringify({ release: releaseId, groups }, null, 2)}\n`)
      } finally {
        store.close()
      }
    })

  he.command('show <table> <field>')
    .description('what is encrypted: rows, ciphertexts, scale')
    .action(async (table: string, field: string) => {
      const config = loadConfig()
      const store = await openStore(config.storePath, { access: 'read-only' })
      try {
        const column = await loadEncryptedColumn(store.connection, table, field)
        process.stdout.write(`${JSON.stringify({ table, field, rows: column.slots.length, ciphertexts: column.chunks.length, scale: column.scale, maxValue: String(column.maxValue) })}\n`)
      } finally {
        store.close()
      }
    })
}
