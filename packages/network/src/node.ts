/**
 * `@purenn/network/node`: saving and loading model files in Node. This is the one module of
 * the package that imports Node built-ins; the core entry point runs unchanged in browsers.
 *
 * Both functions answer with a `Promise` of an `Either` and never reject: a missing file, a
 * directory that cannot be written, a file cut short or edited by hand are `Left`s whose
 * message names the file and the problem.
 *
 * @since 0.1.0
 * @module @purenn/network/node
 */
import { randomBytes } from 'node:crypto'
import { chmod, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { decodeNetwork, encodeNetwork, type CustomActivations, type NetworkError } from './codec.js'
import type { Network } from './types.js'

/**
 * Why a model file could not be written or read: `operation` says which step failed
 * (`'write'`, `'rename'`, `'read'`, or `'parse'` for a file that is not JSON), `code` is the
 * system's error code when there is one (`'ENOENT'` for a missing file).
 *
 * @example
 * import { loadNetwork, type FileError } from '@purenn/network/node'
 * import { writeFile } from 'node:fs/promises'
 * import * as E from 'fp-ts/lib/Either.js'
 * const fileErrorOf = async (path: string): Promise<Partial<FileError>> => {
 *   const r = await loadNetwork(path)
 *   return E.isLeft(r) && r.left._tag === 'FileError' ? { operation: r.left.operation, code: r.left.code } : {}
 * }
 * await fileErrorOf('missing.json') // => { operation: 'read', code: 'ENOENT' }
 * await writeFile('broken.json', '{')
 * await fileErrorOf('broken.json') // => { operation: 'parse', code: undefined }
 *
 * @category model
 * @since 0.1.0
 */
export interface FileError {
  readonly _tag: 'FileError'
  readonly message: string
  readonly path: string
  readonly operation: 'write' | 'rename' | 'read' | 'parse'
  readonly code: string | undefined
}

const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined

const reasonOf = (e: unknown, code: string | undefined): string => {
  if (code === 'ENOENT') return 'no such file or directory (ENOENT)'
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`
  if (code === 'EISDIR') return 'is a directory (EISDIR)'
  return e instanceof Error ? e.message : String(e)
}

/**
 * The `FileError` of a failed step on a file, its message naming the file and the reason (the
 * system's code in words where it has one). For other packages' file entries (`@purenn/interop/node`),
 * so that every file of purenn fails with the same kind of message.
 *
 * @example
 * import { fileError } from '@purenn/network/node'
 * fileError('model.json', 'read', Object.assign(new Error('nope'), { code: 'ENOENT' })).message
 * // => 'cannot read model.json: no such file or directory (ENOENT)'
 *
 * @category files
 * @since 0.2.0
 */
export const fileError = (path: string, operation: FileError['operation'], e: unknown): FileError => {
  const code = codeOf(e)
  const reason = reasonOf(e, code)
  const message =
    operation === 'parse'
      ? `${path} is not valid JSON: ${reason}`
      : operation === 'rename'
        ? `cannot move the new file into place at ${path}: ${reason}`
        : `cannot ${operation} ${path}: ${reason}`
  return { _tag: 'FileError', path, operation, code, message }
}

/**
 * Writes a network to `path` as a model document (see `encodeNetwork`), atomically: the
 * JSON goes to a fresh temporary file in the same directory, which is then renamed over
 * `path`. A crash never leaves half a model behind: `path` holds the old file or the new one.
 *
 * @example
 * import { saveNetwork, loadNetwork } from '@purenn/network/node'
 * import { network, addLayer, randomize, sigmoid } from '@purenn/network'
 * import { rng } from '@purenn/matrix'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * await saveNetwork('model.json', net) // => E.right(undefined)
 * await loadNetwork('model.json') // => E.right(net)
 * // a directory that does not exist: a Left, never a rejection
 * const failed = await saveNetwork('no/such/dir/model.json', net)
 * E.isLeft(failed) && failed.left.operation // => 'write'
 *
 * @category files
 * @since 0.1.0
 */
export const saveNetwork = async (path: string, net: Network): Promise<E.Either<FileError, void>> => {
  let text: string
  try {
    text = JSON.stringify(encodeNetwork(net)) + '\n'
  } catch (e) {
    return E.left(fileError(path, 'write', e))
  }
  return writeAtomically(path, text)
}

/**
 * Writes `data` to `path` atomically: to a fresh temporary file in the same directory (so that
 * the rename stays on one file system), flushed to the disk (`fsync`), then renamed over
 * `path`, and the directory flushed where the platform allows it. A crash, of the process or of
 * the machine, never leaves half a file behind: `path` holds the old file or the whole new one.
 * A file replaced keeps its permissions (a model kept private at 0600 stays so); a new one gets
 * the usual 0666 less the umask. Never rejects.
 *
 * @example
 * import { writeAtomically } from '@purenn/network/node'
 * import { readFile } from 'node:fs/promises'
 * import * as E from 'fp-ts/lib/Either.js'
 * await writeAtomically('notes.txt', 'hello\n') // => E.right(undefined)
 * await readFile('notes.txt', 'utf8') // => 'hello\n'
 *
 * @category files
 * @since 0.2.0
 */
export const writeAtomically = async (path: string, data: Uint8Array | string): Promise<E.Either<FileError, void>> => {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const mode = await stat(path).then(
    (s) => (s.isFile() ? s.mode & 0o7777 : undefined),
    () => undefined
  ) // the permissions of the file replaced, if there is one
  try {
    const handle = await open(temp, 'wx')
    try {
      await handle.writeFile(data)
      await handle.sync() // on the disk before the rename makes it `path`
    } finally {
      await handle.close()
    }
    if (mode !== undefined) await chmod(temp, mode)
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined)
    return E.left(fileError(path, 'write', e))
  }
  try {
    await rename(temp, path)
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined)
    return E.left(fileError(path, 'rename', e))
  }
  await syncDirectory(dirname(path))
  return E.right(undefined)
}

/** Flushes a directory's entries (the rename) to the disk: best effort, as some platforms (Windows) cannot open a directory. */
const syncDirectory = async (dir: string): Promise<void> => {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // the file is whole either way; only the rename's durability across a power loss is not ensured here
  }
}

/**
 * Reads a network from a model file written by `saveNetwork` (or by hand), decoding it with
 * `decodeNetwork` (custom activations come from `customActivations`). A missing or unreadable
 * file is a `FileError`, a file that is not JSON (cut short, say) a `FileError` with
 * `operation: 'parse'`, and a document that is not a valid network a `NetworkError` whose
 * message starts with the file's path.
 *
 * @example
 * import { loadNetwork } from '@purenn/network/node'
 * import { writeFile } from 'node:fs/promises'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const message = (r: E.Either<{ readonly message: string }, unknown>) => pipe(r, E.match((e) => e.message, () => 'loaded'))
 * message(await loadNetwork('missing.json')) // => 'cannot read missing.json: no such file or directory (ENOENT)'
 * await writeFile('cut.json', '{"format": "purenn/network", ')
 * message(await loadNetwork('cut.json')).startsWith('cut.json is not valid JSON') // => true
 *
 * @category files
 * @since 0.1.0
 */
export const loadNetwork = async (
  path: string,
  customActivations?: CustomActivations
): Promise<E.Either<FileError | NetworkError, Network>> => {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    return E.left(fileError(path, 'read', e))
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return E.left(fileError(path, 'parse', e))
  }
  return E.mapLeft((err: NetworkError): FileError | NetworkError => ({ ...err, message: `${path}: ${err.message}` }))(
    decodeNetwork(json, customActivations)
  )
}
