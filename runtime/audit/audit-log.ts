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
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readlinkSync, readSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import type { JSONWebKeySet } from 'jose'
import type { SigningKey } from '../release/key-store.ts'
import { chainEntries, GENESIS, type AuditEntry, type AuditEvent, type ChainItem } from './audit-chain.ts'
import { readAuditEntries, type AuditQuery } from './read-audit.ts'
import { verifyAuditFile, type AuditVerdict } from './verify-audit.ts'

export { entryHash, GENESIS, type AuditEntry, type AuditEvent } from './audit-chain.ts'

export type AuditLog = {
  append(event: AuditEvent): Promise<AuditEntry>
  /** Writes a signed checkpoint of the current head now. */
  checkpoint(): Promise<AuditEntry>
  /** A page of entries (auditors' search). */
  read(query: AuditQuery): Promise<{ entries: AuditEntry[]; more: boolean }>
  /** Verifies the whole chain, and that it extends `head` when one is given. */
  verify(jwks: JSONWebKeySet, head?: string): Promise<AuditVerdict>
  /** Flushes pending appends, writes a final checkpoint and closes. */
  close(): Promise<void>
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
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    // read backwards a block at a time: the file may be far larger than memory allows at once
    let tail = Buffer.alloc(0)
    let from = size
    const more = () => {
      const length = Math.min(TAIL_BLOCK, from)
      from -= length
      const block = Buffer.alloc(length)
      readSync(fd, block, 0, length, from)
      tail = Buffer.concat([block, tail])
    }
    while (from > 0 && tail.indexOf(0x0a) < 0) more()
    const end = from + tail.lastIndexOf(0x0a) + 1
    const torn = size - end
    if (torn > 0) truncateSync(path, end)
    // complete lines, last first: each ends just before `stop`'s newline (positions in the file)
    for (let stop = end; stop > 0; ) {
      let newline = stop >= 2 ? tail.lastIndexOf(0x0a, stop - 2 - from) : -1
      while (newline < 0 && from > 0 && stop >= 2) {
        more()
        newline = tail.lastIndexOf(0x0a, stop - 2 - from)
      }
      const start = newline < 0 ? 0 : from + newline + 1
      const line = tail.subarray(start - from, stop - from).toString('utf8').trim()
      stop = start
      if (line === '') continue
      try {
        return { torn, last: JSON.parse(line) as AuditEntry }
      } catch {
        continue
      }
    }
    return { torn, last: undefined }
  } finally {
    closeSync(fd)
  }
}

const TAIL_BLOCK = 64 * 1024

/**
 * Writers of one audit file take turns under a lock file, so that a command-line process can
 * append while a server holds the log open. A lock is created whole (written beside it, then
 * linked into place, which fails if one exists) and names its holder: host, pid and a nonce.
 * A lock whose holder on this host is gone (dead, or a zombie not yet reaped) is taken over —
 * by one taker at a time, under a second lock, and only if it is still the lock found stale —
 * and a holder removes only its own lock. A lock of another host is never taken over.
 */
function withFileLock<T>(path: string, work: () => T): T {
  const unlock = lockFile(path)
  try {
    return work()
  } finally {
    unlock()
  }
}

/** Where a pid means something: the host and its pid namespace (containers may share a hostname). */
const HOST = `${hostname()}/${pidNamespace()}`

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid')
  } catch {
    return 'unknown'
  }
}

function lockFile(path: string): () => void {
  const lock = `${path}.lock`
  const takeover = `${path}.lock-takeover`
  const deadline = Date.now() + 5000
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (;;) {
    const mine = tryCreate(lock)
    if (mine !== undefined) return () => removeIfMine(lock, mine)
    const seen = readLock(lock)
    // gone since we looked: try again at once; unreadable: wait like for any holder, within the deadline
    if (seen === MISSING) continue
    if (seen !== UNREADABLE && isStale(seen)) {
      const taking = tryCreate(takeover)
      if (taking !== undefined) {
        if (readLock(lock) === seen) rmSync(lock, { force: true })
        removeIfMine(takeover, taking)
      } else {
        const other = readLock(takeover)
        if (other !== MISSING && other !== UNREADABLE && isStale(other)) removeIfMine(takeover, other)
      }
      continue
    }
    if (Date.now() > deadline) {
      throw new Error(seen === UNREADABLE ? `the audit log's lock ${lock} cannot be read` : `the audit log is locked by ${seen.split('\t').slice(0, 2).join(' pid ')}; if that process is gone, remove ${lock}`)
    }
    Atomics.wait(pause, 0, 0, 1)
  }
}

/** Creates `path` holding this writer's identity, or undefined if it exists. */
function tryCreate(path: string): string | undefined {
  const identity = `${HOST}\t${process.pid}\t${randomBytes(8).toString('hex')}`
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(temp, identity, { mode: 0o600 })
  try {
    linkSync(temp, path)
    return identity
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined
    throw error
  } finally {
    rmSync(temp, { force: true })
  }
}

const MISSING = Symbol('missing')
const UNREADABLE = Symbol('unreadable')

function readLock(path: string): string | typeof MISSING | typeof UNREADABLE {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? MISSING : UNREADABLE
  }
}

function removeIfMine(path: string, identity: string): void {
  if (readLock(path) === identity) rmSync(path, { force: true })
}

/** A holder on this host that is gone: no such process, or a zombie not yet reaped. */
function isStale(identity: string): boolean {
  const [host, pid] = identity.split('\t')
  if (host !== HOST || !/^\d+$/.test(pid ?? '')) return false
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
    return state === 'Z' || state === 'X'
  } catch {
    return true
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

  /** Under the lock: continue the chain from the file's real tail (cutting and recording a torn one). */
  const catchUp = (): ChainItem[] => {
    if (fstatSync(fd).size === knownSize) return []
    const { torn, last } = recoverTail(options.path)
    seq = last?.seq ?? 0
    head = last?.hash ?? GENESIS
    return torn > 0 ? [{ event: { actor: 'system', action: 'audit.torn_tail_removed', subject: `seq:${seq + 1}`, detail: { bytes: torn } } }] : []
  }

  /** Under the lock: continue the chain from the file's tail, write the batch (and any torn-tail record) and make it durable. */
  const writeChained = (batch: readonly Pending[]): void =>
    withFileLock(options.path, () => {
      const tornRecord = catchUp()
      const chained = chainEntries({ seq, hash: head }, [...tornRecord, ...batch.map((p): ChainItem => (p.checkpoint ? { checkpoint: true } : { event: p.event }))], options.key)
      seq = chained.tail.seq
      head = chained.tail.hash
      const lines = chained.entries
      const made = lines.slice(tornRecord.length)
      if (batch.some((p) => p.checkpoint)) sinceCheckpoint = 0
      if (lines.length > 0) {
        writeSync(fd, lines.map((e) => `${JSON.stringify(e)}\n`).join(''))
        fsyncSync(fd)
      }
      knownSize = fstatSync(fd).size
      batch.forEach((p, i) => p.resolve(made[i]!))
    })

  // group commit: everything queued in this turn of the event loop is chained, written and fsync'd once
  const flush = (): void => {
    scheduled = false
    const batch = queue
    queue = []
    if (batch.length === 0) return
    try {
      writeChained(batch)
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
  writeChained([])

  return {
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
    read: (query) => readAuditEntries(options.path, query),
    verify: async (jwks, signedHead) => verifyAuditFile(options.path, jwks, signedHead),
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
