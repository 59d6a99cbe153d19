/**
 * Confusion matrices as text. A confusion matrix (`confusionMatrix` of `@purenn/training`)
 * counts, in row `i` and column `j`, the samples of class `i` predicted as `j`; the diagonal
 * holds the right ones.
 *
 * @since 0.1.0
 */

/**
 * Lays a confusion matrix out as text: a header of predicted classes, one row per true
 * class, counts right-aligned.
 *
 * @example
 * import { formatConfusion } from './confusion.js'
 * formatConfusion([[1, 1], [0, 2]], ['a', 'b'])
 * // 'true \\ predicted  a  b\n               a  1  1\n               b  0  2'
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatConfusion = (confusion: ReadonlyArray<ReadonlyArray<number>>, names: ReadonlyArray<string>): string => {
  const corner = 'true \\ predicted'
  const width = Math.max(...names.map((s) => s.length), ...confusion.flat().map((c) => String(c).length))
  const label = (name: string): string => name.padStart(corner.length)
  const header = [corner, ...names.map((s) => s.padStart(width))].join('  ')
  const rows = confusion.map((row, i) => [label(names[i] ?? String(i)), ...row.map((c) => String(c).padStart(width))].join('  '))
  return [header, ...rows].join('\n')
}
