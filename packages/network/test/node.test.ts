import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as N from '@purenn/network'
import { loadNetwork, saveNetwork } from '@purenn/network/node'
import { bitsOf, makeNetwork, swish } from './reference.js'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenn-network-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const net = makeNetwork(3, [[4, N.relu], [2, N.softmax]], 12)

describe('saveNetwork and loadNetwork', () => {
  it('round-trip a network bit for bit through a file', async () => {
    const path = join(dir, 'model.json')
    expect(await saveNetwork(path, net)).toEqual(E.right(undefined))
    const loaded = await loadNetwork(path)
    if (E.isLeft(loaded)) throw new Error(loaded.left.message)
    expect(bitsOf(loaded.right)).toEqual(bitsOf(net))
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(N.encodeNetwork(net))
  })

  it('replace an existing file whole and leave no temporary file behind', async () => {
    const path = join(dir, 'replace.json')
    await writeFile(path, 'old contents')
    expect(E.isRight(await saveNetwork(path, net))).toBe(true)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(N.encodeNetwork(net))
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it.skipIf(process.platform === 'win32')('a file replaced keeps its permissions; a new one gets 0666 less the umask', async () => {
    const kept = join(dir, 'private.json')
    await writeFile(kept, 'old')
    await chmod(kept, 0o600)
    expect(E.isRight(await saveNetwork(kept, net))).toBe(true)
    expect((await stat(kept)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(kept, 'utf8'))).toEqual(N.encodeNetwork(net))
    const fresh = join(dir, 'fresh.json')
    expect(E.isRight(await saveNetwork(fresh, net))).toBe(true)
    const plain = join(dir, 'plain.txt') // what this process's umask gives a file made the usual way
    await writeFile(plain, '')
    expect((await stat(fresh)).mode & 0o777).toBe((await stat(plain)).mode & 0o777)
  })

  it('a failed save leaves the target untouched and cleans up its temporary file', async () => {
    const target = join(dir, 'occupied')
    await mkdir(target) // a directory: the rename onto it fails
    await writeFile(join(target, 'keep.txt'), 'keep')
    const r = await saveNetwork(target, net)
    if (E.isRight(r)) throw new Error('expected a Left')
    expect(r.left).toMatchObject({ _tag: 'FileError', operation: 'rename', path: target })
    expect(r.left.message).toContain(target)
    expect(await readdir(target)).toEqual(['keep.txt'])
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('a network JSON cannot hold (a diverged one) is a Left, and nothing is written', async () => {
    const path = join(dir, 'diverged.json')
    const [l0, l1] = net.layers
    const w = Float64Array.from(l1!.weights.data)
    w[5] = Infinity
    const diverged: N.Network = { ...net, layers: [l0!, { ...l1!, weights: { ...l1!.weights, data: w } }] }
    const r = await saveNetwork(path, diverged)
    if (E.isRight(r)) throw new Error('expected a Left')
    expect(r.left).toMatchObject({ _tag: 'FileError', operation: 'write', path })
    expect(r.left.message).toContain('layers[1].weights[1][1] is Infinity, which JSON cannot hold')
    expect((await readdir(dir)).filter((f) => f.startsWith('diverged'))).toEqual([])
    expect(() => N.encodeNetwork(diverged)).toThrow(new RangeError('encodeNetwork: layers[1].weights[1][1] is Infinity, which JSON cannot hold (a diverged network?)'))
    const b = Float64Array.from(l0!.bias.data)
    b[2] = NaN
    expect(() => N.encodeNetwork({ ...net, layers: [{ ...l0!, bias: { ...l0!.bias, data: b } }, l1!] })).toThrow('encodeNetwork: layers[0].bias[2] is NaN')
  })

  it('saving into a missing directory is a Left naming the file', async () => {
    const path = join(dir, 'no', 'such', 'dir', 'model.json')
    const r = await saveNetwork(path, net)
    if (E.isRight(r)) throw new Error('expected a Left')
    expect(r.left).toMatchObject({ _tag: 'FileError', operation: 'write', code: 'ENOENT' })
    expect(r.left.message).toContain(path)
  })

  it('a missing file is a Left naming the file', async () => {
    const path = join(dir, 'missing.json')
    const r = await loadNetwork(path)
    if (E.isRight(r)) throw new Error('expected a Left')
    expect(r.left).toMatchObject({ _tag: 'FileError', operation: 'read', code: 'ENOENT', path })
    expect(r.left.message).toBe(`cannot read ${path}: no such file or directory (ENOENT)`)
  })

  it('a file cut short is a Left saying it is not valid JSON', async () => {
    const path = join(dir, 'cut.json')
    const text = JSON.stringify(N.encodeNetwork(net))
    await writeFile(path, text.slice(0, Math.floor(text.length / 2)))
    const r = await loadNetwork(path)
    if (E.isRight(r)) throw new Error('expected a Left')
    expect(r.left).toMatchObject({ _tag: 'FileError', operation: 'parse' })
    expect(r.left.message).toContain(`${path} is not valid JSON`)
  })

  it('a file cut anywhere is a Left, never a network or an exception', async () => {
    const text = JSON.stringify(N.encodeNetwork(net))
    const path = join(dir, 'cut-anywhere.json')
    for (let cut = 0; cut < text.length; cut += Math.ceil(text.length / 40)) {
      await writeFile(path, text.slice(0, cut))
      const r = await loadNetwork(path)
      expect(E.isLeft(r) && r.left.message.includes(path)).toBe(true)
    }
  })

  it('a hand-edited file is a Left naming the file and the place', async () => {
    const path = join(dir, 'edited.json')
    const doc = N.encodeNetwork(net)
    await writeFile(path, JSON.stringify({ ...doc, layers: [doc.layers[0], { ...doc.layers[1], bias: [0] }] }))
    const r = await loadNetwork(path)
    if (E.isRight(r)) throw new Error('expected a Left')
    expect(r.left._tag).toBe('ShapeMismatch')
    expect(r.left.message).toBe(`${path}: layers[1].bias: expected 2 values (one per row of layers[1].weights), got 1`)
  })

  it('load custom activations from the caller’s table', async () => {
    const path = join(dir, 'custom.json')
    const custom = makeNetwork(2, [[2, swish], [1, N.linear]], 1)
    await saveNetwork(path, custom)
    expect(E.isLeft(await loadNetwork(path))).toBe(true)
    const r = await loadNetwork(path, [swish])
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(bitsOf(r.right)).toEqual(bitsOf(custom))
  })
})
