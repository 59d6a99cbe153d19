/**
 * Telling a module that was run (`node examples/dist/xor/main.js`) from one that was
 * imported (by the demo or a test), so that an example runs its full settings only when it
 * is the program.
 *
 * @since 0.1.0
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Whether the module at `moduleUrl` (pass `import.meta.url`) is the script Node was started
 * with. Symbolic links are resolved on both sides.
 *
 * @example
 * import { isMain } from '../shared/isMain.js'
 * if (isMain(import.meta.url)) await main()
 *
 * @category io
 * @since 0.1.0
 */
export const isMain = (moduleUrl: string): boolean => {
  const script = process.argv[1]
  if (script === undefined) return false
  const real = (path: string): string => {
    try {
      return realpathSync(path)
    } catch {
      return path
    }
  }
  return real(fileURLToPath(moduleUrl)) === real(script)
}
