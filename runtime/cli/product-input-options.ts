/**
 * The options `indomain dev` and `indomain run` share: the product input as JSON, and `--pick`,
 * the n-th entity a synthetic store's scenario knows.
 */
import { InvalidArgumentError } from 'commander'
import { RuntimeError } from '../errors.ts'

/** `--pick <n>`: a positive integer. */
export function parsePick(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer')
  return n
}

/** `--input <json>`: the product input; not JSON is the caller's error. */
export function parseInputOption(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new RuntimeError('ERR_PARAMS_INVALID', '--input is not valid JSON')
  }
}
