import { describe, expect, it } from 'vitest'
import * as M from '@purenn/matrix'
import * as N from '@purenn/network'
import type { Layer } from '@purenn/network'
import { snapshot } from './reference.js'

describe('the dense layer', () => {
  const layer: Layer = {
    weights: M.fromFunction(2, 3, (i, j) => i - j), // [[0, −1, −2], [1, 0, −1]]
    bias: M.fromArray([1, -1]),
    activation: N.relu
  }
  const x = M.fromFunction(3, 2, (i, j) => i + j) // columns [0, 1, 2] and [1, 2, 3]

  it('forward: Z = W·X + b·1ᵀ, Y = f(Z)', () => {
    const { z, y } = N.layerForward(layer, x)
    expect(M.toArrays(z)).toEqual([
      [-4, -7],
      [-3, -3]
    ])
    expect(M.toArrays(y)).toEqual([
      [0, 0],
      [0, 0]
    ])
    const lin = N.layerForward({ ...layer, activation: N.linear }, x)
    expect(M.toArrays(lin.y)).toEqual(M.toArrays(lin.z))
  })

  it('backward: dW = dZ·Xᵀ, db = row sums of dZ, dX = Wᵀ·dZ', () => {
    const dz = M.fromFunction(2, 2, (i, j) => 1 + i + 2 * j) // [[1, 3], [2, 4]]
    const { gradients, input } = N.layerBackward(layer, x, dz, true)
    expect(M.toArrays(gradients.weights)).toEqual(M.toArrays(M.dot(M.transpose(x))(dz)))
    expect(M.toArray(gradients.bias)).toEqual([4, 6])
    expect(M.toArrays(input!)).toEqual(M.toArrays(M.dot(dz)(M.transpose(layer.weights))))
    expect(N.layerBackward(layer, x, dz, false).input).toBeUndefined()
  })

  it('changes neither the layer nor its input', () => {
    const before = snapshot(layer.weights, layer.bias, x)
    const { z } = N.layerForward(layer, x)
    N.layerBackward(layer, x, z, true)
    expect(snapshot(layer.weights, layer.bias, x)).toEqual(before)
  })
})
