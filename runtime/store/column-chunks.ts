/**
 * A table's rows gathered column by column into chunks of DuckDB's vector size, each column in
 * the memory layout of a DuckDB vector: a `string_t` per text value, a double, an int64, a byte
 * per boolean, and a validity bitmask. The writer thread (store-writer.ts) then fills a data
 * chunk with one copy per column instead of one call per value. No DuckDB here: this runs beside
 * the generator, and knows DuckDB only by those layouts.
 *
 * Text of up to twelve UTF-8 bytes is inlined in its `string_t`, as DuckDB inlines it. Longer
 * text cannot be: a column's long texts travel joined into one string (`long`), a text repeated
 * on the next long row of the column only once (a meter's address on its twelve readings, a
 * person's ID on their 24 months), and the writer stores them in DuckDB with one call per column
 * and chunk and points the rows' `string_t`s at them (chunk-appender.ts).
 *
 * A stager's buffers are reused from chunk to chunk: `emit` must copy what it keeps before it
 * returns (the writer packs it into shared memory with `packChunk`). Layouts are the machine's
 * byte order, as DuckDB's are (the writer refuses a big-endian machine, where the validity bytes
 * would not be DuckDB's words).
 */

/** Rows in one chunk: DuckDB's standard vector size, the most a data chunk holds. */
export const CHUNK_ROWS = 2048

/** What a column is sent as; DuckDB casts it to the column's type on append (DATE from text, DECIMAL from double …). */
export type ColumnKind = 'varchar' | 'double' | 'bigint' | 'boolean'

/** Bytes per row of each kind's vector. */
export const KIND_BYTES: Readonly<Record<ColumnKind, number>> = { varchar: 16, double: 8, bigint: 8, boolean: 1 }

/** Bytes of a validity mask for CHUNK_ROWS rows. */
export const VALIDITY_BYTES = CHUNK_ROWS / 8

/** A `string_t`: four bytes of length, then twelve inlined bytes (or a prefix and an address). */
export const STRING_T_BYTES = 16
const INLINE_BYTES = 12

/**
 * A column's texts too long to inline: the `k`th of `count` is row `rows[k]`, and its text is piece
 * `pieces[k]`; piece `j` of `pieceCount` ends at UTF-16 offset `ends[j]` in `text` (and starts where
 * the one before ends).
 */
export type LongTexts = {
  readonly count: number
  readonly rows: Int32Array
  readonly pieces: Int32Array
  readonly pieceCount: number
  readonly ends: Int32Array
  readonly text: string
}

export type StagedColumn = {
  readonly kind: ColumnKind
  /** The vector's data, `KIND_BYTES[kind]` bytes per row (only the chunk's rows count). */
  readonly data: Uint8Array
  /** DuckDB's validity mask (bit `i` set = row `i` is not NULL), or null when no row is NULL. */
  readonly validity: Uint8Array | null
  /** `varchar` only, when some text was too long to inline; its rows' `string_t`s are zero. */
  readonly long: LongTexts | null
}

export type StagedChunk = {
  /** Which appender: the table's id, or `ground_truth.<name>`. */
  readonly target: string
  readonly rows: number
  readonly columns: readonly StagedColumn[]
}

export type CellValue = string | number | boolean | null

export type ColumnStager = {
  /** One row: column `i`'s value is `values[sources[i]]`, NULL where `sources[i]` is -1. */
  add(values: readonly CellValue[], sources: readonly number[]): void
  /** Emits what is gathered as a (partial) chunk; nothing when no row is pending. */
  flush(): void
}

/** The value's JavaScript type does not fit the column's kind: the generator and the catalog disagree. */
export class ColumnValueError extends TypeError {
  readonly column: number
  constructor(column: number, kind: ColumnKind) {
    super(`column ${column} (${kind}) received a value of another type`)
    this.name = 'ColumnValueError'
    this.column = column
  }
}

type ColumnBuffer = {
  readonly kind: ColumnKind
  readonly data: Uint8Array
  readonly words: Uint32Array
  readonly doubles: Float64Array
  readonly bigints: BigInt64Array
  readonly validity: Uint8Array
  anyNull: boolean
  readonly longRows: Int32Array
  readonly longPieces: Int32Array
  longCount: number
  readonly pieceEnds: Int32Array
  readonly pieceTexts: string[]
  pieceLength: number
}

function createColumnBuffer(kind: ColumnKind): ColumnBuffer {
  const data = new Uint8Array(CHUNK_ROWS * KIND_BYTES[kind])
  const long = kind === 'varchar' ? CHUNK_ROWS : 0
  return {
    kind,
    data,
    words: new Uint32Array(data.buffer, 0, kind === 'varchar' ? CHUNK_ROWS * 4 : 0),
    doubles: new Float64Array(data.buffer, 0, kind === 'double' ? CHUNK_ROWS : 0),
    bigints: new BigInt64Array(data.buffer, 0, kind === 'bigint' ? CHUNK_ROWS : 0),
    validity: new Uint8Array(VALIDITY_BYTES).fill(0xff),
    anyNull: false,
    longRows: new Int32Array(long),
    longPieces: new Int32Array(long),
    longCount: 0,
    pieceEnds: new Int32Array(long),
    pieceTexts: [],
    pieceLength: 0,
  }
}

/** Gathers rows of one target and passes each chunk of CHUNK_ROWS rows to `emit`. */
export function createColumnStager(target: string, kinds: readonly ColumnKind[], emit: (chunk: StagedChunk) => void): ColumnStager {
  const columns = kinds.map(createColumnBuffer)
  let n = 0
  const flush = () => {
    if (n === 0) return
    emit({
      target,
      rows: n,
      columns: columns.map((b) => ({
        kind: b.kind,
        data: b.data,
        validity: b.anyNull ? b.validity : null,
        long:
          b.longCount === 0
            ? null
            : { count: b.longCount, rows: b.longRows, pieces: b.longPieces, pieceCount: b.pieceTexts.length, ends: b.pieceEnds, text: b.pieceTexts.join('') },
      })),
    })
    for (const b of columns) {
      // a string_t must be zero past its inlined bytes
      if (b.kind === 'varchar') b.data.fill(0, 0, n * STRING_T_BYTES)
      if (b.anyNull) b.validity.fill(0xff)
      b.anyNull = false
      b.longCount = 0
      b.pieceTexts.length = 0
      b.pieceLength = 0
    }
    n = 0
  }
  return {
    add(values, sources) {
      const row = n
      for (let c = 0; c < columns.length; c++) {
        const b = columns[c]!
        const source = sources[c]!
        const v = source < 0 ? null : values[source]
        if (v === null || v === undefined) {
          b.anyNull = true
          b.validity[row >> 3]! &= ~(1 << (row & 7))
          continue
        }
        switch (b.kind) {
          case 'varchar':
            if (typeof v !== 'string') throw new ColumnValueError(c, 'varchar')
            if (!inlineText(v, b.data, b.words, row * STRING_T_BYTES)) addLongText(b, row, v)
            break
          case 'double':
            if (typeof v !== 'number') throw new ColumnValueError(c, 'double')
            b.doubles[row] = v
            break
          case 'bigint':
            if (!Number.isSafeInteger(v)) throw new ColumnValueError(c, 'bigint')
            b.bigints[row] = BigInt(v as number)
            break
          case 'boolean':
            if (typeof v !== 'boolean') throw new ColumnValueError(c, 'boolean')
            b.data[row] = v ? 1 : 0
            break
        }
      }
      if (++n === CHUNK_ROWS) flush()
    },
    flush,
  }
}

/** Row `row`'s text, after the column's long texts: a new piece unless it repeats the last one. */
function addLongText(b: ColumnBuffer, row: number, s: string): void {
  const pieces = b.pieceTexts.length
  if (pieces === 0 || b.pieceTexts[pieces - 1] !== s) {
    b.pieceLength += s.length
    b.pieceEnds[pieces] = b.pieceLength
    b.pieceTexts.push(s)
  }
  b.longRows[b.longCount] = row
  b.longPieces[b.longCount] = b.pieceTexts.length - 1
  b.longCount++
}

/**
 * Writes `s` as an inlined `string_t` at `at` when its UTF-8 takes at most twelve bytes; otherwise
 * leaves the `string_t` zero and returns false. Text with a surrogate goes the long way, where V8's
 * conversion decides its bytes (chunk-appender.ts), as it decided them for single values.
 */
function inlineText(s: string, bytes: Uint8Array, words: Uint32Array, at: number): boolean {
  if (s.length > INLINE_BYTES) return false
  const end = at + 4 + INLINE_BYTES
  let o = at + 4
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i)
    if (ch < 0x80) {
      if (o >= end) return clearInline(bytes, at, o)
      bytes[o++] = ch
    } else if (ch < 0x800) {
      if (o + 2 > end) return clearInline(bytes, at, o)
      bytes[o++] = 0xc0 | (ch >> 6)
      bytes[o++] = 0x80 | (ch & 0x3f)
    } else {
      if (o + 3 > end || (ch >= 0xd800 && ch < 0xe000)) return clearInline(bytes, at, o)
      bytes[o++] = 0xe0 | (ch >> 12)
      bytes[o++] = 0x80 | ((ch >> 6) & 0x3f)
      bytes[o++] = 0x80 | (ch & 0x3f)
    }
  }
  words[at >> 2] = o - at - 4
  return true
}

function clearInline(bytes: Uint8Array, at: number, o: number): false {
  bytes.fill(0, at + 4, o)
  return false
}

/** Where a packed column's parts lie in the shared memory, as byte offsets (-1: absent); its long texts travel beside. */
export type PackedColumn = {
  readonly data: number
  readonly validity: number
  readonly longCount: number
  readonly longRows: number
  readonly longPieces: number
  readonly pieceCount: number
  readonly pieceEnds: number
  readonly longText: string
}

export type PackedChunk = { readonly target: string; readonly rows: number; readonly columns: readonly PackedColumn[] }

const align8 = (n: number) => (n + 7) & ~7

/** The bytes `chunk` packs into. */
export function packedSize(chunk: StagedChunk): number {
  let bytes = 0
  for (const c of chunk.columns) {
    bytes += align8(chunk.rows * KIND_BYTES[c.kind])
    if (c.validity !== null) bytes += VALIDITY_BYTES
    if (c.long !== null) bytes += 2 * align8(c.long.count * 4) + align8(c.long.pieceCount * 4)
  }
  return bytes
}

/** Copies `chunk` into `memory` from `at` up to `end` and says where each part went. */
export function packChunk(chunk: StagedChunk, memory: Uint8Array, at: number, end: number): PackedChunk {
  let o = at
  const put = (bytes: Uint8Array, length: number): number => {
    const start = o
    if (start + length > end) throw new RangeError('a staged chunk does not fit where it is packed')
    memory.set(length === bytes.byteLength ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, length), start)
    o = align8(start + length)
    return start
  }
  const asBytes = (words: Int32Array, count: number) => new Uint8Array(words.buffer, words.byteOffset, count * 4)
  const columns = chunk.columns.map((c): PackedColumn => {
    const data = put(c.data, chunk.rows * KIND_BYTES[c.kind])
    const validity = c.validity === null ? -1 : put(c.validity, VALIDITY_BYTES)
    if (c.long === null) return { data, validity, longCount: 0, longRows: -1, longPieces: -1, pieceCount: 0, pieceEnds: -1, longText: '' }
    const { count, rows, pieces, pieceCount, ends, text } = c.long
    return {
      data,
      validity,
      longCount: count,
      longRows: put(asBytes(rows, count), count * 4),
      longPieces: put(asBytes(pieces, count), count * 4),
      pieceCount,
      pieceEnds: put(asBytes(ends, pieceCount), pieceCount * 4),
      longText: text,
    }
  })
  return { target: chunk.target, rows: chunk.rows, columns }
}
