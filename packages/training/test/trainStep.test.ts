import { describe, expect, it } from 'vitest'
import * as M from '@purenn/matrix'
import { mse, trainIteration } from '@purenn/network'
import { adam, initTrainState, sgd, trainStep } from '@purenn/training'
import { columns, netOf, paramsOf, sigmoidNet, xorData, xorLabels } from './helpers.js'

describe('trainStep', () => {
  it('takes one step by hand on a linear neuron', () => {
    // y = w·x + b with w = 0.5, b = 0; sample x = 2, t = 3: y = 1, L = ½(1 − 3)² = 2,
    // ∂L/∂y = −2, ∂L/∂w = −2·2 = −4, ∂L/∂b = −2; sgd(0.1): w = 0.5 + 0.4 = 0.9, b = 0.2
    const net = netOf([{ weights: [[0.5]], bias: [0] }])
    const tx = sgd({ learningRate: 0.1 })
    const st = trainStep(mse, tx)(initTrainState(tx, net, M.rng(0)), { inputs: M.fromArray([2]), targets: M.fromArray([3]) })
    expect(st.loss).toBe(2)
    expect(st.step).toBe(1)
    expect(paramsOf(st.network)[0]).toBeCloseTo(0.9, 15)
    expect(paramsOf(st.network)[1]).toBeCloseTo(0.2, 15)
    expect(st.opt).toEqual([{ count: 1 }])
  })

  it('with sgd and a batch of one is the tutorial’s trainIteration', () => {
    const net = sigmoidNet([2, 3, 1], 5)
    const tx = sgd({ learningRate: 0.5 })
    let st = initTrainState(tx, net, M.rng(0))
    let byTutorial = net
    for (let i = 0; i < 8; i++) {
      const s = i % 4
      st = trainStep(mse, tx)(st, { inputs: M.fromArray(xorData[s]!), targets: M.fromArray(xorLabels[s]!) })
      byTutorial = trainIteration(xorData[s]!, xorLabels[s]!, 0.5)(byTutorial)
    }
    paramsOf(st.network).forEach((w, k) => expect(w).toBeCloseTo(paramsOf(byTutorial)[k]!, 14))
  })

  it('changes neither the state nor the batch', () => {
    const net = sigmoidNet([2, 3, 1], 6)
    const tx = adam({ learningRate: 0.01 })
    const st = initTrainState(tx, net, M.rng(0))
    const batch = { inputs: columns(xorData), targets: columns(xorLabels) }
    const before = JSON.stringify([st, batch], (_, v) => (v instanceof Float64Array ? [...v] : v))
    const after = trainStep(mse, tx)(st, batch)
    expect(JSON.stringify([st, batch], (_, v) => (v instanceof Float64Array ? [...v] : v))).toBe(before)
    expect(after.network).not.toBe(st.network)
  })
})
