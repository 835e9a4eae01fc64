/**
 * A cell's unit ids as the ledger keeps them: each id (an integer below 2^53, unit-ids.ts) as eight
 * little-endian bytes of a float64, so a million units take 8 MB rather than a text list twice that,
 * and decode without parsing.
 */
export function packUnits(units: readonly number[]): Uint8Array {
  const packed = new Float64Array(units.length)
  for (let i = 0; i < units.length; i++) packed[i] = units[i]!
  return new Uint8Array(packed.buffer)
}

export function unpackUnits(bytes: Uint8Array): number[] {
  if (bytes.byteLength % 8 !== 0) throw new Error('a packed unit list is a whole number of 8-byte ids')
  // copy into an aligned buffer: a driver's bytes may start at any offset
  const aligned = new Float64Array(bytes.byteLength / 8)
  new Uint8Array(aligned.buffer).set(bytes)
  return Array.from(aligned)
}
