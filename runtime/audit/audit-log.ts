/**
 * The audit trail (来源可溯、去向可查、行为留痕、责任可究): an append-only file of JSON lines, each
 * entry carrying the hash of the one before, so that a changed, removed, inserted or reordered
 * entry breaks the chain; every `checkpointEvery` entries (and on close) a checkpoint entry
 * signs the chain's head with the platform key. Appends are group-committed: entries that arrive
 * together are written and fsync'd together, and each append resolves only once its entry is on
 * disk — a release is returned only after its audit entry is durable. Several processes may
 * append to one file (a server and a command): they take turns under a lock file, and each
 * continues the chain from the file's real tail.
 *
 * This file is separate from pino's operational log; untrusted text (partner messages, inputs)
 * is kept under `detail` and never interpreted.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { hashJson, signCompact } from '../release/signing.ts'
import type { SigningKey } from '../release/key-store.ts'

export const GENESIS = '0'.repeat(64)

export type AuditEvent = {
  /** Who acted: an operator, partner, consumer, `system`. */
  readonly actor: string
  /** What happened, e.g. `scenario.approved`, `release.signed`, `release.refused`, `partner.revoked`. */
  readonly action: string
  /** What it happened to: a scenario, product, release or table id. */
  readonly subject: string
  /** Structured details (codes, ids, hashes); never secrets. */
  readonly detail?: Record<string, unknown>
}

export type AuditEntry = AuditEvent & {
  readonly seq: number
  readonly at: string
  readonly prev: string
  readonly hash: string
  /** On checkpoint entries: a detached JWS (EdDSA) over `{seq, head}` by the platform key. */
  readonly signature?: string
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return hashJson(entry)
}

export type AuditLog = {
  append(event: AuditEvent): Promise<AuditEntry>
  /** Writes a signed checkpoint of the current head now. */
  checkpoint(): Promise<AuditEntry>
  /** Flushes pending appends, writes a final checkpoint and closes the file. */
  close(): Promise<void>
  readonly path: string
}

export type AuditLogOptions = {
  readonly path: string
  /** The platform key that signs checkpoints. */
  readonly key: SigningKey
  readonly checkpointEvery?: number
}

/**
 * Reads the tail of the log: on open, and whenever another writer appended since our last write.
 * A crash mid-write can leave a torn last line: it is cut off
 * and the cut is itself recorded as the first new entry (`audit.torn_tail_removed`): reported,
 * never silently accepted. Entries whose appends had resolved were fsync'd whole, so a torn tail
 * is never one of them. Returns the bytes cut and the last complete entry, found from the end.
 */
function recoverTail(path: string): { readonly torn: number; readonly last: AuditEntry | undefined } {
  if (!existsSync(path)) return { torn: 0, last: undefined }
  const text = readFileSync(path)
  const end = text.lastIndexOf(0x0a) + 1
  const torn = text.length - end
  if (torn > 0) truncateSync(path, end)
  // complete lines, last first: each ends just before `stop`'s newline
  for (let stop = end; stop > 0; ) {
    const start = stop >= 2 ? text.lastIndexOf(0x0a, stop - 2) + 1 : 0
    const line = text.subarray(start, stop).toString('utf8').trim()
    stop = start
    if (line === '') continue
    try {
      return { torn, last: JSON.parse(line) as AuditEntry }
    } catch {
      continue
    }
  }
  return { torn, last: undefined }
}

/**
 * Writers of one audit file take turns: a lock file (created exclusively, naming its pid) is held
 * while a batch is chained and written, so that a command-line process can append while a
 * server holds the log open. A lock left by a dead process is taken over.
 */
function withFileLock<T>(path: string, work: () => T): T {
  const lock = `${path}.lock`
  const deadline = Date.now() + 5000
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const standing = lockStanding(lock)
      if (standing === 'released') continue
      if (standing === 'stale') {
        rmSync(lock, { force: true })
        continue
      }
      if (Date.now() > deadline) throw new Error('the audit log is locked by another process')
      Atomics.wait(pause, 0, 0, 1)
    }
  }
  try {
    return work()
  } finally {
    rmSync(lock, { force: true })
  }
}

/**
 * No writer holds the lock for long: a lock whose holder is gone (dead, or a zombie not yet
 * reaped) or that is older than a few seconds is stale; one whose pid is not written yet is
 * fresh (its writer is between two calls) until it ages.
 */
function lockStanding(lock: string): 'held' | 'stale' | 'released' {
  let text: string
  try {
    if (Date.now() - statSync(lock).mtimeMs > 5000) return 'stale'
    text = readFileSync(lock, 'utf8')
  } catch {
    return 'released'
  }
  const holder = Number(text)
  if (text === '' || !Number.isInteger(holder) || holder <= 0) return 'held'
  try {
    const state = readFileSync(`/proc/${holder}/stat`, 'utf8').split(') ')[1]?.[0]
    return state === 'Z' || state === 'X' ? 'stale' : 'held'
  } catch {
    return 'stale'
  }
}

export function openAuditLog(options: AuditLogOptions): AuditLog {
  mkdirSync(dirname(options.path), { recursive: true })
  let seq = 0
  let head = GENESIS
  /** The file's size after our last write: anything else means another writer appended. */
  let knownSize = -1
  let sinceCheckpoint = 0
  const every = options.checkpointEvery ?? 1000
  const fd = openSync(options.path, 'a', 0o600)
  let closed = false
  type Pending = { event: AuditEvent; checkpoint: boolean; resolve: (e: AuditEntry) => void; reject: (e: unknown) => void }
  let queue: Pending[] = []
  let scheduled = false

  const make = (event: AuditEvent, extra: { signature?: string } = {}): AuditEntry => {
    seq++
    const base = {
      seq,
      at: new Date().toISOString(),
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      ...(event.detail === undefined ? {} : { detail: event.detail }),
      prev: head,
      ...extra,
    }
    const entry: AuditEntry = { ...base, hash: entryHash(base) }
    head = entry.hash
    return entry
  }

  const checkpointEntry = (): AuditEntry => {
    const signature = signCompact('indomain-audit-checkpoint', { seq: seq + 1, head }, options.key)
    sinceCheckpoint = 0
    return make({ actor: 'system', action: 'audit.checkpoint', subject: `seq:${seq + 1}`, detail: { covers: head } }, { signature })
  }

  /** Under the lock: continue the chain from the file's real tail (cutting and recording a torn one). */
  const catchUp = (): AuditEntry[] => {
    if (fstatSync(fd).size === knownSize) return []
    const { torn, last } = recoverTail(options.path)
    seq = last?.seq ?? 0
    head = last?.hash ?? GENESIS
    return torn > 0 ? [make({ actor: 'system', action: 'audit.torn_tail_removed', subject: `seq:${seq + 1}`, detail: { bytes: torn } })] : []
  }

  // group commit: everything queued in this turn of the event loop is chained, written and fsync'd once
  const flush = (): void => {
    scheduled = false
    const batch = queue
    queue = []
    if (batch.length === 0) return
    try {
      withFileLock(options.path, () => {
        const entries = catchUp()
        const made = batch.map((p) => (p.checkpoint ? checkpointEntry() : make(p.event)))
        writeSync(fd, [...entries, ...made].map((e) => `${JSON.stringify(e)}\n`).join(''))
        fsyncSync(fd)
        knownSize = fstatSync(fd).size
        batch.forEach((p, i) => p.resolve(made[i]!))
      })
    } catch (error) {
      for (const p of batch) p.reject(error)
    }
  }

  const enqueue = (event: AuditEvent, checkpoint = false): Promise<AuditEntry> =>
    new Promise((resolve, reject) => {
      queue.push({ event, checkpoint, resolve, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    })

  const checkpoint = (): Promise<AuditEntry> => enqueue({ actor: 'system', action: 'audit.checkpoint', subject: '' }, true)

  // on open: find the chain's head, and cut and record a torn tail left by a crash, at once
  withFileLock(options.path, () => {
    const entries = catchUp()
    if (entries.length > 0) {
      writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''))
      fsyncSync(fd)
    }
    knownSize = fstatSync(fd).size
  })

  return {
    path: options.path,
    append(event) {
      if (closed) return Promise.reject(new Error('the audit log is closed'))
      const written = enqueue(event)
      if (++sinceCheckpoint >= every) {
        sinceCheckpoint = 0
        void checkpoint()
      }
      return written
    },
    checkpoint,
    async close() {
      if (closed) return
      const last = checkpoint()
      flush()
      await last
      closed = true
      closeSync(fd)
    },
  }
}
