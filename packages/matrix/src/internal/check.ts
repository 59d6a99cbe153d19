/**
 * Argument checks shared by the constructors. They throw `RangeError`/`TypeError` whose
 * message names the function, the argument and the value, as the contract asks of functions
 * that return a plain value.
 */

/** Refuses anything but a non-negative integer (a matrix dimension). */
export const checkDimension = (fn: string, name: string, value: number): void => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof value}`)
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${fn}: ${name} must be a non-negative integer, got ${value}`)
}

/** Refuses a value that is not a finite number. */
export const checkFinite = (fn: string, name: string, value: number): void => {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof value}`)
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${value}`)
}

/** Refuses an index outside `[0, size)`. */
export const checkIndex = (fn: string, name: string, value: number, size: number): void => {
  if (!Number.isInteger(value) || value < 0 || value >= size)
    throw new RangeError(`${fn}: ${name} ${value} is out of range [0, ${size})`)
}
