/**
 * Runtime configuration: the only module that reads `process.env`. Cloned, validated, frozen
 * once; a bad value fails at start-up with ERR_CONFIG_INVALID.
 */
import { resolve } from 'node:path'
import * as z from 'zod'
import { RuntimeError } from './errors.ts'

const configSchema = z
  .object({
    /** Folder for the store and other runtime state. */
    dataDir: z.string().min(1),
    /** The in-domain DuckDB store. */
    storePath: z.string().min(1),
    /**
     * Governance state (principals, scenarios, product versions and reviews, consumers, published
     * products, releases and meters): the embedded database's file, or a `postgres://` URL
     * (INDOMAIN_DATABASE_URL) that several API replicas share.
     */
    stateDatabase: z.string().min(1),
    /** PostgreSQL connections per process. */
    statePoolSize: z.number().int().min(1).max(200),
    /** Partners' uploaded product sources (one folder per partner). */
    uploadsDir: z.string().min(1),
    /** Partners' dev runs: a synthetic sample store, its own state and views (never the operators'). */
    devDir: z.string().min(1),
    /** Folder of scenarios' materialized, masked views (one database file per scenario). */
    viewsDir: z.string().min(1),
    /** Address the server listens on. */
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    /** JWKS file of the trusted consent issuers; the local dev issuer when unset. */
    consentJwksPath: z.string().min(1).optional(),
    /** The runtime's homomorphic keys (public and Galois only): `he-public.json` in this folder. */
    heDir: z.string().min(1),
    /** The key custodian's folder (`indomain he keygen`, the decryption service's secret key and audit trail). */
    heCustodianDir: z.string().min(1),
    /** Passphrase sealing the homomorphic secret key (custodian and decryption service only). */
    hePassphrase: z.string().min(12).optional(),
    /** Where the runtime reaches the decryption service. */
    heDecryptionUrl: z.string().url(),
    /** Calls per minute per consumer (or per address without a key). */
    rateLimitPerMinute: z.number().int().min(1),
    /** Signing key files (sealed). */
    keysDir: z.string().min(1),
    /** Passphrase that seals the signing keys; when unset, one is generated into keysDir (dev installs only). */
    keyPassphrase: z.string().min(12).optional(),
    /** Folder of catalog table definitions; the shipped catalog when unset. */
    catalogDir: z.string().min(1).optional(),
    /**
     * Failures of one product version on production data (sandbox failures, denied reads, refusals
     * it caused) after which it is held for an operator's review, within a window of hours: a
     * product whose success or failure depends on the data tells a consumer a few bits at most.
     */
    failureHoldAfter: z.number().int().min(1).max(1000),
    failureWindowHours: z.number().int().min(1).max(24 * 366),
    /** Sandbox worker processes of a server. */
    sandboxWorkers: z.number().int().min(1).max(64),
    /** On SIGTERM: how long calls in flight may take to finish before connections are closed (ms). */
    shutdownDrainMs: z.number().int().min(0).max(120_000),
    /** Scale and seed of the sample store built on first start. */
    sampleScale: z.number().int().min(100).max(20_000_000),
    sampleSeed: z.string().min(1),
  })
  .strict()

export type RuntimeConfig = Readonly<z.infer<typeof configSchema>>

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): RuntimeConfig {
  const dataDir = resolve(env.INDOMAIN_DATA_DIR ?? 'data')
  const candidate = {
    dataDir,
    storePath: resolve(env.INDOMAIN_STORE ?? `${dataDir}/indomain.duckdb`),
    stateDatabase: env.INDOMAIN_DATABASE_URL ?? resolve(env.INDOMAIN_STATE ?? `${dataDir}/state.sqlite`),
    statePoolSize: env.INDOMAIN_DATABASE_POOL === undefined ? 10 : Number(env.INDOMAIN_DATABASE_POOL),
    viewsDir: resolve(env.INDOMAIN_VIEWS_DIR ?? `${dataDir}/views`),
    uploadsDir: resolve(env.INDOMAIN_UPLOADS_DIR ?? `${dataDir}/uploads`),
    devDir: resolve(env.INDOMAIN_DEV_DIR ?? `${dataDir}/dev`),
    keysDir: resolve(env.INDOMAIN_KEYS_DIR ?? `${dataDir}/keys`),
    host: env.INDOMAIN_HOST ?? '127.0.0.1',
    port: env.INDOMAIN_PORT === undefined ? 8720 : Number(env.INDOMAIN_PORT),
    ...(env.INDOMAIN_CONSENT_JWKS === undefined ? {} : { consentJwksPath: resolve(env.INDOMAIN_CONSENT_JWKS) }),
    heDir: resolve(env.INDOMAIN_HE_DIR ?? `${dataDir}/he`),
    heCustodianDir: resolve(env.INDOMAIN_HE_CUSTODIAN_DIR ?? `${dataDir}/he-custodian`),
    ...(env.INDOMAIN_HE_PASSPHRASE === undefined ? {} : { hePassphrase: env.INDOMAIN_HE_PASSPHRASE }),
    heDecryptionUrl: env.INDOMAIN_HE_DECRYPTION_URL ?? 'http://127.0.0.1:8721',
    rateLimitPerMinute: env.INDOMAIN_RATE_LIMIT === undefined ? 6000 : Number(env.INDOMAIN_RATE_LIMIT),
    ...(env.INDOMAIN_KEY_PASSPHRASE === undefined ? {} : { keyPassphrase: env.INDOMAIN_KEY_PASSPHRASE }),
    ...(env.INDOMAIN_CATALOG_DIR === undefined ? {} : { catalogDir: resolve(env.INDOMAIN_CATALOG_DIR) }),
    failureHoldAfter: env.INDOMAIN_FAILURE_HOLD_AFTER === undefined ? 5 : Number(env.INDOMAIN_FAILURE_HOLD_AFTER),
    failureWindowHours: env.INDOMAIN_FAILURE_WINDOW_HOURS === undefined ? 24 : Number(env.INDOMAIN_FAILURE_WINDOW_HOURS),
    sandboxWorkers: env.INDOMAIN_SANDBOX_WORKERS === undefined ? 2 : Number(env.INDOMAIN_SANDBOX_WORKERS),
    shutdownDrainMs: env.INDOMAIN_SHUTDOWN_DRAIN_MS === undefined ? 7000 : Number(env.INDOMAIN_SHUTDOWN_DRAIN_MS),
    sampleScale: env.INDOMAIN_SAMPLE_SCALE === undefined ? 20_000 : Number(env.INDOMAIN_SAMPLE_SCALE),
    sampleSeed: env.INDOMAIN_SAMPLE_SEED ?? 'indomain',
  }
  const parsed = configSchema.safeParse(candidate)
  if (!parsed.success) {
    throw new RuntimeError('ERR_CONFIG_INVALID', 'The runtime configuration is invalid', {
      details: { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    })
  }
  return Object.freeze(parsed.data)
}
