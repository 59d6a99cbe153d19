/**
 * Text for error messages. Every function here is total: it never throws, whatever it is
 * given (a symbol, an object without a prototype, a proxy-free exotic value), so that
 * decoding options can promise never to throw.
 */

/** Describes a value for an error message: its type, and the value itself when short. */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return `an array of ${value.length}`
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 20 ? value.slice(0, 20) + '…' : value)}`
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`
    default:
      return typeof value
  }
}

/** `1 value`, `2 values`: a count with its noun, singular or plural (`noun + 's'` unless given). */
export const count = (n: number, noun: string, plural: string = noun + 's'): string => `${n} ${n === 1 ? noun : plural}`
