/**
 * Text for error messages. Every function here is total: it never throws, whatever it is
 * given (a symbol, an object without a prototype, a proxy-free exotic value), so that
 * decoding options can promise never to throw.
 */

/** Describes a value for an error message (shared with @purenn/matrix, so messages read alike). */
import { describeValue } from '@purenn/matrix'
export { describeValue }

/** `1 value`, `2 values`: a count with its noun, singular or plural (`noun + 's'` unless given). */
export const count = (n: number, noun: string, plural: string = noun + 's'): string => `${n} ${n === 1 ? noun : plural}`
