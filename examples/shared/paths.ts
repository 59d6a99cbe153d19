/**
 * Where the examples write what they produce: `examples/out/`, found from this module's own
 * location (in `examples/shared/` as a source, in `examples/dist/shared/` once built), so
 * that the output lands in the same place whatever the working directory.
 *
 * @since 0.1.0
 */
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * The `examples/` directory.
 *
 * @category constants
 * @since 0.1.0
 */
export const examplesDir = basename(dirname(here)) === 'dist' ? resolve(here, '..', '..') : resolve(here, '..')

/**
 * A path under `examples/out/`, e.g. `outPath('mnist-curves.svg')`.
 *
 * @example
 * import { outPath } from './paths.js'
 * outPath('xor.json') // '/…/examples/out/xor.json'
 *
 * @category constants
 * @since 0.1.0
 */
export const outPath = (file: string): string => join(examplesDir, 'out', file)
