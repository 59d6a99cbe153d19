/**
 * Writing a file atomically: the content goes to a temporary file in the same directory,
 * which is then renamed over the target. A reader sees the old file or the new one, never
 * half of one, even if the process dies while writing.
 *
 * @since 0.1.0
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'

/**
 * Writes `content` to `path` atomically, creating the directory if needed. The temporary
 * file is removed if the write fails. Rejects with the file system's error.
 *
 * @example
 * import { writeFileAtomic } from './atomicWrite.js'
 * await writeFileAtomic('examples/out/mnist-curves.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')
 *
 * @category io
 * @since 0.1.0
 */
export const writeFileAtomic = async (path: string, content: string): Promise<void> => {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  // A name nobody else uses, in the target's directory so that rename stays on one device.
  const temp = join(dir, `.${basename(path)}.${randomUUID()}.tmp`)
  try {
    await writeFile(temp, content, 'utf8')
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
