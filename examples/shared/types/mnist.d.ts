/**
 * Types for the parts of the `mnist` package (1.1.0, plain CommonJS, no types of its own)
 * that the examples read: one object per digit, holding that digit's images one after
 * another, each 28 x 28 = 784 grey levels in [0, 1].
 */
declare module 'mnist' {
  /** All the samples of one digit, in the order the package ships them. */
  interface MnistDigit {
    /** The digit, 0 to 9. */
    readonly id: number
    /** How many samples of this digit there are. */
    readonly length: number
    /** Every sample of this digit, concatenated: `length * 784` numbers. */
    readonly raw: ReadonlyArray<number>
    /** Sample `index` as 784 numbers (a random one when `index` is out of range: avoid). */
    readonly get: (index: number) => number[]
  }
  /** The ten digits, `mnist[d]` holding digit `d`. */
  const mnist: ReadonlyArray<MnistDigit>
  export default mnist
}
