/**
 * Reading the few command-line options the examples take, such as `--seed 2`.
 *
 * @since 0.1.0
 */

/**
 * The number after `--name` in `argv`, if there is one. Throws a `RangeError` naming the
 * option when what follows it is not a finite number.
 *
 * @example
 * import { numberArg } from './args.js'
 * numberArg(['--seed', '2'], 'seed') // 2
 * numberArg([], 'seed') // undefined
 *
 * @category io
 * @since 0.1.0
 */
export const numberArg = (argv: ReadonlyArray<string>, name: string): number | undefined => {
  const at = argv.indexOf(`--${name}`)
  if (at < 0) return undefined
  const text = argv[at + 1]
  const value = Number(text)
  if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
    throw new RangeError(`--${name}: expected a number, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`)
  }
  return value
}
