import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as M from '@purenn/matrix'
import * as E from 'fp-ts/lib/Either.js'
import * as N from '@purenn/network'
import type { Activation, Network, NetworkError } from '@purenn/network'
import { arbNetwork, bitsOf, elementwiseActivations, makeNetwork, snapshot, swish } from './reference.js'

const anyOutput = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom<Activation>(...elementwiseActivations, N.softmax))

const leftOf = <A>(e: E.Either<NetworkError, A>): NetworkError => {
  if (E.isRight(e)) throw new Error('expected a Left')
  return e.left
}

const rightOf = <A>(e: E.Either<NetworkError, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected a Right, got ${e.left.message}`)
  return e.right
}

const sample = makeNetwork(2, [[3, N.tanh], [1, N.sigmoid]], 1)
/** A valid document, as plain JSON. */
const doc = (): Record<string, unknown> => JSON.parse(JSON.stringify(N.encodeNetwork(sample))) as Record<string, unknown>
/** The same document with one layer field changed. */
const withLayer = (k: number, field: string, value: unknown): Record<string, unknown> => {
  const d = doc()
  ;(d['layers'] as Array<Record<string, unknown>>)[k]![field] = value
  return d
}

describe('encodeNetwork and decodeNetwork', () => {
  it('round-trip bit for bit, with the same activation values (property)', () => {
    fc.assert(
      fc.property(arbNetwork(anyOutput), (net) => {
        const back = rightOf(N.decodeNetwork(N.encodeNetwork(net), [swish]))
        expect(bitsOf(back)).toEqual(bitsOf(net))
      }),
      { numRuns: 100 }
    )
  })

  it('round-trip through JSON text bit for bit (property)', () => {
    fc.assert(
      fc.property(arbNetwork(anyOutput), (net) => {
        const back = rightOf(N.decodeNetwork(JSON.parse(JSON.stringify(N.encodeNetwork(net))), { swish }))
        expect(bitsOf(back)).toEqual(bitsOf(net))
      }),
      { numRuns: 100 }
    )
  })

  it('write the documented format', () => {
    const net: Network = { inputSize: 2, layers: [{ weights: M.fill(1, 2, 0.5), bias: M.fill(1, 1, -1), activation: N.relu }] }
    expect(N.encodeNetwork(net)).toEqual({
      format: 'purenn/network',
      version: 1,
      inputSize: 2,
      layers: [{ activation: 'relu', weights: [[0.5, 0.5]], bias: [-1] }]
    })
    expect(rightOf(N.decodeNetwork(N.encodeNetwork(N.network(3))))).toEqual({ inputSize: 3, layers: [] })
  })

  it('never throw, whatever JSON they are given (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (u) => {
        expect(E.isLeft(N.decodeNetwork(u))).toBe(true)
        expect(E.isLeft(N.fromTutorialWeights(u, N.sigmoid))).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  it('never throw on a valid document with any one field replaced by any JSON value (property)', () => {
    const paths: ReadonlyArray<ReadonlyArray<string | number>> = [
      ['format'], ['version'], ['inputSize'], ['layers'], ['layers', 0], ['layers', 1], ['layers', 0, 'activation'],
      ['layers', 0, 'weights'], ['layers', 0, 'weights', 1], ['layers', 0, 'weights', 1, 0], ['layers', 1, 'bias'], ['layers', 1, 'bias', 0]
    ]
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const d = doc()
        let at: Record<string | number, unknown> = d
        path.slice(0, -1).forEach((key) => (at = at[key] as Record<string | number, unknown>))
        at[path.at(-1)!] = value
        const r = N.decodeNetwork(d)
        if (E.isLeft(r)) expect(r.left.message.length).toBeGreaterThan(0)
      }),
      { numRuns: 300 }
    )
  })

  it('a hostile value (a throwing getter) is a Left, not an exception', () => {
    const d = doc()
    Object.defineProperty(d, 'layers', { get: () => { throw new Error('boom') }, enumerable: true })
    expect(leftOf(N.decodeNetwork(d)).message).toContain('boom')
  })

  it('name the problem in a hand-edited document', () => {
    const cases: ReadonlyArray<readonly [unknown, string, string]> = [
      ['not a network', 'InvalidDocument', 'document: expected a purenn/network document (an object), got string "not a network"'],
      [{ ...doc(), format: 'keras' }, 'InvalidDocument', 'format: expected "purenn/network", got string "keras"'],
      [{ ...doc(), version: 2 }, 'UnsupportedVersion', 'version: this library reads version 1 of purenn/network documents, got number 2'],
      [{ ...doc(), inputSize: 2.5 }, 'InvalidDocument', 'inputSize: expected a positive integer, got number 2.5'],
      [{ ...doc(), inputSize: 3 }, 'ShapeMismatch', 'layers[0].weights[0]: expected 3 values (inputSize is 3), got 2'],
      [withLayer(1, 'weights', [[1, 2]]), 'ShapeMismatch', 'layers[1].weights[0]: expected 3 values (layers[0] has 3 nodes), got 2'],
      [withLayer(0, 'bias', [0, 0]), 'ShapeMismatch', 'layers[0].bias: expected 3 values (one per row of layers[0].weights), got 2'],
      [withLayer(0, 'weights', []), 'ShapeMismatch', 'layers[0].weights: expected 1 row (a layer has at least one node), got 0'],
      [withLayer(1, 'bias', [Number.NaN]), 'NotFinite', 'layers[1].bias[0]: expected a finite number, got NaN'],
      [withLayer(0, 'weights', [[1, 2], [3, Infinity], [5, 6]]), 'NotFinite', 'layers[0].weights[1][1]: expected a finite number, got Infinity'],
      [withLayer(0, 'weights', [[1, 2], [3, '4'], [5, 6]]), 'InvalidDocument', 'layers[0].weights[1][1]: expected a number, got string "4"'],
      [withLayer(1, 'activation', 'swish'), 'UnknownActivation', 'layers[1].activation: unknown activation "swish"; known: sigmoid, tanh, relu, leakyRelu, elu, softplus, linear, softmax'],
      [withLayer(1, 'activation', 7), 'InvalidDocument', 'layers[1].activation: expected a string (an activation name), got number 7'],
      [{ ...doc(), layers: undefined }, 'InvalidDocument', 'layers: expected an array of layers, got undefined'],
      [{ ...withLayer(1, 'activation', 'softmax') }, 'ShapeMismatch', 'layers[1].weights: expected 2 rows (softmax needs 2 or more nodes: on 1 node it always outputs 1 and its gradient is 0 (for one output, use sigmoid)), got 1']
    ]
    for (const [u, tag, message] of cases) {
      const err = leftOf(N.decodeNetwork(u))
      expect(err._tag).toBe(tag)
      expect(err.message).toContain(message)
    }
  })

  it('find custom activations in the table the caller passes, as a list or a record', () => {
    const net = makeNetwork(2, [[2, swish], [1, N.linear]], 3)
    const encoded = N.encodeNetwork(net)
    expect(leftOf(N.decodeNetwork(encoded))._tag).toBe('UnknownActivation')
    expect(rightOf(N.decodeNetwork(encoded, [swish])).layers[0]!.activation).toBe(swish)
    expect(rightOf(N.decodeNetwork(encoded, { swish })).layers[0]!.activation).toBe(swish)
    expect(leftOf(N.decodeNetwork(encoded, { other: swish })).message).toContain('known: sigmoid, tanh, relu, leakyRelu, elu, softplus, linear, softmax, other')
  })

  it('refuse a table entry that is not an activation, naming the layer, rather than a network that fails later', () => {
    const encoded = N.encodeNetwork(makeNetwork(2, [[2, swish], [1, N.linear]], 3))
    for (const entry of [(x: number) => x, 42, { name: 'swish' }, { ...swish, df: undefined }, null]) {
      const e = leftOf(N.decodeNetwork(encoded, { swish: entry } as never))
      expect(e).toMatchObject({ _tag: 'UnknownActivation', path: 'layers[0].activation', name: 'swish' })
      expect(e.message).toContain("layers[0].activation: the caller's table gives \"swish\" as")
    }
    // a list with entries that are not activations: skipped by name, never a throw
    expect(leftOf(N.decodeNetwork(encoded, [null, 3, { name: 'swish' }] as never))).toMatchObject({ _tag: 'UnknownActivation', path: 'layers[0].activation' })
    expect(leftOf(N.decodeNetwork(encoded, [null, 3] as never))._tag).toBe('UnknownActivation')
    // and fromTutorialWeights: an activation without its functions
    const tutorial = { weights: [[[1, 2]]], biases: [[[0]]] }
    expect(E.isLeft(N.fromTutorialWeights(tutorial, { _tag: 'Elementwise', name: 'x' } as never))).toBe(true)
    expect(E.isRight(N.fromTutorialWeights(tutorial, N.sigmoid))).toBe(true)
  })

  it('change nothing they were given', () => {
    const before = snapshot(sample)
    const d = N.encodeNetwork(sample)
    const text = JSON.stringify(d)
    N.decodeNetwork(d)
    expect(snapshot(sample)).toEqual(before)
    expect(JSON.stringify(d)).toBe(text)
  })
})

describe('fromTutorialWeights', () => {
  /** A network as the tutorial's saveWeights writes it: weights as rows, biases as columns. */
  const tutorialFile = (net: Network): unknown => ({
    weights: net.layers.map((l) => M.toArrays(l.weights)),
    biases: net.layers.map((l) => M.toArrays(l.bias))
  })

  it('reads what saveWeights writes, with one activation for every layer or one per layer', () => {
    const net = makeNetwork(2, [[3, N.sigmoid], [1, N.sigmoid]], 8)
    const file = JSON.parse(JSON.stringify(tutorialFile(net))) as unknown
    expect(bitsOf(rightOf(N.fromTutorialWeights(file, N.sigmoid)))).toEqual(bitsOf(net))
    const mixed = makeNetwork(2, [[3, N.relu], [2, N.softmax]], 8)
    expect(bitsOf(rightOf(N.fromTutorialWeights(tutorialFile(mixed), [N.relu, N.softmax])))).toEqual(bitsOf(mixed))
  })

  it('names what does not fit', () => {
    const good = { weights: [[[1, 2], [3, 4]], [[5, 6]]], biases: [[[0], [0]], [[0]]] }
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [{ weights: [], biases: [] }, 'weights: expected 1 layer (a network has at least one layer), got 0'],
      [{ ...good, biases: [[[0], [0]]] }, 'biases: expected 2 matrices (one per weight matrix), got 1'],
      [{ ...good, weights: [[[1, 2], [3, 4]], [[5, 6, 7]]] }, 'weights[1][0]: expected 2 values (weights[0] has 2 rows), got 3'],
      [{ ...good, biases: [[[0, 1], [0]], [[0]]] }, 'biases[0][0]: expected 1 value (a bias is a column, one value a row), got 2'],
      [{ ...good, biases: [[[0]], [[0]]] }, 'biases[0]: expected 2 values (one per row of weights[0]), got 1'],
      [{ weights: [[[1, 'a']]], biases: [[[0]]] }, 'weights[0][0][1]: expected a number, got string "a"'],
      [{ weights: good.weights }, 'biases: expected an array of matrices (nested rows of numbers), got undefined']
    ]
    for (const [u, message] of cases) expect(leftOf(N.fromTutorialWeights(u, N.sigmoid)).message).toBe(message)
    expect(leftOf(N.fromTutorialWeights(good, [N.sigmoid])).message).toBe('activations: expected 2 activations (one per layer), got 1')
  })
})
