/**
 * Appends packed chunks (column-chunks.ts) to a DuckDB table. Each column's vector is filled with
 * one copy of its bytes. A column's long texts are stored in DuckDB with one call, as one string
 * in a scratch vector's heap, and their rows' `string_t`s are pointed into it (DuckDB's public
 * `duckdb_string_t` layout: length, four-byte prefix, address). The data chunk then goes to the
 * appender whole, which copies the strings into its own memory and casts the chunk to the table's
 * types (text to DATE, double to DECIMAL …) as it cast single values before; only then is the
 * scratch heap released.
 *
 * The vector-level calls are DuckDB's C API as `@duckdb/node-bindings` exposes it (the layer
 * `@duckdb/node-api` is built on and pins to its own version). The API's vectors make a native
 * call per text value; at a city's scale those calls were most of a build.
 */
import { Buffer } from 'node:buffer'
import duckdb from '@duckdb/node-bindings'
import { DuckDBBigIntType, DuckDBBooleanType, DuckDBDataChunk, DuckDBDoubleType, DuckDBVarCharType, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api'
import { CHUNK_ROWS, KIND_BYTES, STRING_T_BYTES, VALIDITY_BYTES, type ColumnKind, type PackedChunk, type PackedColumn } from './column-chunks.ts'

const TYPES: Record<ColumnKind, DuckDBType> = {
  varchar: DuckDBVarCharType.instance,
  double: DuckDBDoubleType.instance,
  bigint: DuckDBBigIntType.instance,
  boolean: DuckDBBooleanType.instance,
}

const STRING_T_WORDS = STRING_T_BYTES / 4
const INLINE_BYTES = 12
const TWO_32 = 2 ** 32

export type ChunkAppender = {
  /** Appends the chunk packed in `memory`; `memory` may be changed where the chunk lies. */
  append(packed: PackedChunk, memory: SharedArrayBuffer): void
  /** Rows appended since the appender last wrote to the table. */
  readonly unflushed: number
  /** Writes what the appender holds to the table. */
  flush(): void
  close(): void
}

export function createChunkAppender(appender: DuckDBAppender, kinds: readonly ColumnKind[]): ChunkAppender {
  const chunk = DuckDBDataChunk.create(kinds.map((k) => TYPES[k]))
  // row c holds column c's long texts, one after another, in this vector's heap until the next reset
  const scratch = DuckDBDataChunk.create([DuckDBVarCharType.instance])
  const scratchVector = duckdb.data_chunk_get_vector(scratch.chunk, 0)
  // a vector stays the same object across resets of its chunk
  const vectors = kinds.map((_, c) => duckdb.data_chunk_get_vector(chunk.chunk, c))
  let utf8 = Buffer.alloc(256 * 1024)
  const byteEnds = new Int32Array(CHUNK_ROWS)
  let unflushed = 0

  const storeLongTexts = (c: number, column: PackedColumn, rows: number, memory: SharedArrayBuffer) => {
    const text = column.longText
    if (utf8.length < text.length * 3) utf8 = Buffer.alloc(text.length * 3)
    // Buffer's UTF-8 is V8's, as the client's conversion of each single value was (a lone surrogate becomes U+FFFD)
    const length = utf8.write(text)
    const ends = new Int32Array(memory, column.pieceEnds, column.pieceCount)
    // all ASCII: each UTF-16 offset is the byte offset
    if (length !== text.length) utf8Offsets(utf8, ends, byteEnds)
    duckdb.vector_assign_string_element_len(scratchVector, c, utf8.subarray(0, length))
    const heads = duckdb.vector_get_data(scratchVector, (c + 1) * STRING_T_BYTES)
    const head = new Uint32Array(heads.buffer, heads.byteOffset + c * STRING_T_BYTES, STRING_T_WORDS)
    pointInto(column, rows, memory, utf8, length !== text.length ? byteEnds : ends, head[2]!, head[3]!)
  }

  return {
    append(packed, memory) {
      if (packed.columns.length !== kinds.length) throw new RangeError('a packed chunk has another number of columns than its table')
      duckdb.data_chunk_reset(chunk.chunk)
      for (let c = 0; c < kinds.length; c++) {
        const column = packed.columns[c]!
        const vector = vectors[c]!
        if (column.longCount > 0) storeLongTexts(c, column, packed.rows, memory)
        duckdb.copy_data_to_vector(vector, 0, memory as unknown as ArrayBuffer, column.data, packed.rows * KIND_BYTES[kinds[c]!])
        if (column.validity >= 0) {
          duckdb.vector_ensure_validity_writable(vector)
          duckdb.copy_data_to_vector_validity(vector, 0, memory as unknown as ArrayBuffer, column.validity, VALIDITY_BYTES)
        }
      }
      duckdb.data_chunk_set_size(chunk.chunk, packed.rows)
      appender.appendDataChunk(chunk)
      // the appender has copied the strings: the scratch heap can go
      duckdb.data_chunk_reset(scratch.chunk)
      unflushed += packed.rows
    },
    get unflushed() {
      return unflushed
    },
    flush() {
      appender.flushSync()
      unflushed = 0
    },
    close() {
      appender.closeSync()
      unflushed = 0
    },
  }
}

/**
 * The byte offsets in `bytes` (UTF-8) of the UTF-16 offsets `ends`, into `out`: a sequence of one
 * to three bytes is one UTF-16 unit, of four bytes two (a surrogate pair).
 */
function utf8Offsets(bytes: Uint8Array, ends: Int32Array, out: Int32Array): void {
  let b = 0
  let u = 0
  for (let k = 0; k < ends.length; k++) {
    const end = ends[k]!
    while (u < end) {
      const lead = bytes[b]!
      if (lead < 0x80) {
        b += 1
        u += 1
      } else if (lead < 0xe0) {
        b += 2
        u += 1
      } else if (lead < 0xf0) {
        b += 3
        u += 1
      } else {
        b += 4
        u += 2
      }
    }
    out[k] = b
  }
}

/**
 * Writes the `string_t` of each long text of `column` (length, first four bytes, address) into its
 * row's slot in `memory`: the address is `base` (where DuckDB stored `bytes`, as low and high 32
 * bits) plus where the row's piece starts in `bytes` (pieces end at the byte offsets `ends`).
 */
function pointInto(column: PackedColumn, rows: number, memory: SharedArrayBuffer, bytes: Uint8Array, ends: Int32Array, baseLow: number, baseHigh: number): void {
  const slots = new Uint32Array(memory, column.data, rows * STRING_T_WORDS)
  const longRows = new Int32Array(memory, column.longRows, column.longCount)
  const pieces = new Int32Array(memory, column.longPieces, column.longCount)
  for (let k = 0; k < column.longCount; k++) {
    const piece = pieces[k]!
    const start = piece === 0 ? 0 : ends[piece - 1]!
    const end = ends[piece]!
    const at = longRows[k]! * STRING_T_WORDS
    slots[at] = end - start
    if (end - start <= INLINE_BYTES) {
      // a short text the stager left to V8's conversion (it has a surrogate): DuckDB inlines what fits
      new Uint8Array(memory, column.data + at * 4 + 4, INLINE_BYTES).set(bytes.subarray(start, end))
      continue
    }
    const low = baseLow + start
    slots[at + 1] = bytes[start]! | (bytes[start + 1]! << 8) | (bytes[start + 2]! << 16) | (bytes[start + 3]! << 24)
    slots[at + 2] = low
    slots[at + 3] = baseHigh + (low >= TWO_32 ? 1 : 0)
  }
}
