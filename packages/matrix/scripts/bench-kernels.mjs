#!/usr/bin/env node
// GFLOP/s of the two product kernels, side by side in one process: the plain TypeScript kernel
// (`withKernel(kernels.plain)`) and the default one (the WebAssembly SIMD kernel where it
// loads), for a·b, a·bᵀ and aᵀ·b at the shapes of the benchmark suite's workload 4 and of an
// MNIST 784-128-10 network (batch 32, and predicting 1,996 digits at once).
//
// The machine is shared and noisy: after a warm-up, each repetition times both kernels one
// after the other (about 0.1 s each); the table gives the median rate of each and the median
// of the per-repetition ratios. A product of `m x k` by `k x n` counts 2mkn flops.
//
//   npx tsc -b packages/matrix && node packages/matrix/scripts/bench-kernels.mjs [--reps=N]
import * as M from '../dist/index.js'

const repsArg = process.argv.find((a) => a.startsWith('--reps='))
const REPS = repsArg ? Number(repsArg.slice('--reps='.length)) : 7

/** `[m, k, n]`: the suite's three shapes, then an MNIST batch's products and a whole test set's. */
const SHAPES = [
  [64, 784, 128],
  [128, 128, 128],
  [512, 512, 512],
  [128, 784, 32], // hidden layer forward, W·X; its weight gradient dZ·Xᵀ is 128x32 · 32x784
  [128, 32, 784],
  [10, 128, 32], // output layer forward
  [128, 10, 32], // errors sent back, Wᵀ·dZ
  [128, 784, 1996] // predicting the 1,996 test digits in one batch
]

const FORMS = ['a·b', 'a·bᵀ', 'aᵀ·b']

/** A deterministic `rows x cols` matrix with entries in [-1, 1]. */
const filled = (rows, cols, seed) => M.fromFunction(rows, cols, (i, j) => Math.sin(seed + 1.3 * i + 0.7 * j))

/** A thunk computing one form at one shape on `products`, with its operands stored as that form reads them. */
const thunk = (products, form, m, k, n) => {
  if (form === 'a·b') {
    const a = filled(m, k, 1)
    const f = products.dot(filled(k, n, 2))
    return () => f(a)
  }
  if (form === 'a·bᵀ') {
    const a = filled(m, k, 1)
    const f = products.dotTransposeB(filled(n, k, 2))
    return () => f(a)
  }
  const a = filled(k, m, 1)
  const f = products.dotTransposeA(filled(k, n, 2))
  return () => f(a)
}

let sink = 0
const seconds = (f, iterations) => {
  const t = performance.now()
  for (let i = 0; i < iterations; i++) sink += f().data[0]
  return (performance.now() - t) / 1000
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y)
  const h = s.length >> 1
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2
}

const plain = M.withKernel(M.kernels.plain)
const chosen = M.withKernel(M.defaultKernel)
console.log(`Node ${process.version}; default kernel: ${M.defaultKernel.name}; medians of ${REPS} repetitions\n`)
console.log(`| product | shape (m x k · k x n) | plain | ${M.defaultKernel.name} | ratio |`)
console.log('|---|---|---:|---:|---:|')
for (const [m, k, n] of SHAPES)
  for (const form of FORMS) {
    const flops = 2 * m * n * k
    const fs = [thunk(plain, form, m, k, n), thunk(chosen, form, m, k, n)]
    const iterations = fs.map((f) => {
      let runs = 0
      let spent = 0
      while (runs < 2 || spent < 0.1) {
        spent += seconds(f, 1)
        runs++
      }
      return Math.max(1, Math.round(0.1 / (spent / runs)))
    })
    const rates = [[], []]
    const ratios = []
    for (let r = 0; r < REPS; r++) {
      const rr = fs.map((f, i) => (flops * iterations[i]) / seconds(f, iterations[i]) / 1e9)
      rates[0].push(rr[0])
      rates[1].push(rr[1])
      ratios.push(rr[1] / rr[0])
    }
    console.log(`| ${form} | ${m}x${k} · ${k}x${n} | ${median(rates[0]).toFixed(2)} | ${median(rates[1]).toFixed(2)} | ${median(ratios).toFixed(2)}x |`)
  }
if (sink === 0.5) console.log() // keeps the results alive
