// How much the training loop adds to backpropagation itself. Each case is timed in
// interleaved rounds (so that load on the machine hits every variant alike), and reported as
// the median over the rounds, with its ratio to the first variant of its group, measured in
// the same run. A script, not a test: build first, then
//   npx tsc -b packages/training && node packages/training/bench/overhead.mjs
import * as M from '@purenn/matrix'
import { addLayer, gradients, mse, network, randomize, relu, sigmoid, softmax, crossEntropy, trainIteration } from '@purenn/network'
import { applyUpdates, batches, initTrainState, sampleSet, sgd, train, trainStep } from '../dist/index.js'

const ROUNDS = Number(process.argv[2] ?? 9)

const build = (sizes, activations, seed) => {
  let net = network(sizes[0])
  sizes.slice(1).forEach((nodes, k) => (net = addLayer({ nodes, activation: activations[k] })(net)))
  return randomize(-1, 1)(net)(M.rng(seed))[0]
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

const run = (title, unit, perRun, variants) => {
  const times = variants.map(() => [])
  for (let r = 0; r < ROUNDS; r++)
    variants.forEach(([, f], i) => {
      const t0 = performance.now()
      f()
      times[i].push(performance.now() - t0)
    })
  console.log(`\n${title}`)
  const base = median(times[0])
  variants.forEach(([name], i) => {
    const m = median(times[i])
    console.log(`  ${name.padEnd(58)} ${((m / perRun) * 1000).toFixed(2).padStart(8)} µs/${unit}  ×${(m / base).toFixed(2)}`)
  })
}

// ---- XOR, the tutorial's settings: 2-4-1 sigmoid, batch size 1, learning rate 0.1 ----------
{
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]]
  const T = [[0], [1], [1], [0]]
  const EPOCHS = 2000
  const net = build([2, 4, 1], [sigmoid, sigmoid], 1)
  const cols = (rows) => M.transpose(M.fromArrays(rows).right)
  const data = sampleSet(cols(X), cols(T))
  const samples = X.map((x, i) => ({ inputs: M.fromArray(x), targets: M.fromArray(T[i]) }))
  const tx = sgd({ learningRate: 0.1 })
  const step = trainStep(mse, tx)
  run('XOR 2-4-1, batch size 1, 2,000 epochs (8,000 steps) a run', 'epoch', EPOCHS, [
    ['trainIteration (network package, fused one-sample step)', () => {
      let n = net
      let r = M.rng(0)
      for (let e = 0; e < EPOCHS; e++) {
        const [order, next] = M.permutation(4)(r)
        r = next
        for (const i of order) n = trainIteration(X[i], T[i], 0.1)(n)
      }
    }],
    ['gradients + scale + applyUpdates by hand', () => {
      let n = net
      let r = M.rng(0)
      for (let e = 0; e < EPOCHS; e++) {
        const [order, next] = M.permutation(4)(r)
        r = next
        for (const i of order) {
          const { gradients: g } = gradients(mse, samples[i].inputs, samples[i].targets)(n)
          n = applyUpdates(g.map((l) => ({ weights: M.scale(-0.1)(l.weights), bias: M.scale(-0.1)(l.bias) })))(n)
        }
      }
    }],
    ['trainStep(mse, sgd) folded over batches by hand', () => {
      let st = initTrainState(tx, net, M.rng(0))
      for (let e = 0; e < EPOCHS; e++) {
        const [order, next] = M.permutation(4)(st.rng)
        st = batches(data, order, 1).reduce(step, { ...st, rng: next })
      }
    }],
    ['train (no validation set: Error on the training set)', () => {
      train({ trainData: X, trainLabels: T, numEpochs: EPOCHS, learningRate: 0.1 })(net)
    }],
    ['train (the tutorial: validation set = training set)', () => {
      train({ trainData: X, trainLabels: T, validationData: X, validationLabels: T, numEpochs: EPOCHS, learningRate: 0.1 })(net)
    }]
  ])
}

// ---- mini-batches: 64-32-10 relu/softmax, 2,048 random samples, batch size 32 ----------------
{
  const N = 2048
  const EPOCHS = 5
  const [X, r1] = M.uniform(64, N, 0, 1)(M.rng(7))
  const [labels] = M.uniform(1, N, 0, 10)(r1)
  const T = M.fromFunction(10, N, (i, j) => (Math.floor(labels.data[j]) === i ? 1 : 0))
  const net = build([64, 32, 10], [relu, softmax], 3)
  const data = sampleSet(X, T)
  const tx = sgd({ learningRate: 0.05 })
  const step = trainStep(crossEntropy, tx)
  run('64-32-10 relu/softmax, crossEntropy, 2,048 samples, batch size 32, 5 epochs a run', 'epoch', EPOCHS, [
    ['trainStep folded over shuffled batches by hand', () => {
      let st = initTrainState(tx, net, M.rng(0))
      for (let e = 0; e < EPOCHS; e++) {
        const [order, next] = M.permutation(N)(st.rng)
        st = batches(data, order, 32).reduce(step, { ...st, rng: next })
      }
    }],
    ['train (Error and loss measured on the training set each epoch)', () => {
      train({ trainData: X, trainLabels: T, numEpochs: EPOCHS, optimizer: tx, loss: crossEntropy, batchSize: 32 })(net)
    }]
  ])
}
