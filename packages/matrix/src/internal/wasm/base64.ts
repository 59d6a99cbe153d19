/**
 * Base64 decoding (RFC 4648, the standard alphabet, `=` padding), for the embedded
 * WebAssembly binary. Written out here because the portable `atob` is not in the ES library
 * this package compiles against, and Node's `Buffer` is not in browsers.
 *
 * Reading typed arrays: indices are in bounds by construction (the loop stops at the end of
 * the input), so reads use `x[i]!`.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** The 6-bit value of each character code of the alphabet; -1 for any other code. */
const VALUE = ((): Int8Array => {
  const t = new Int8Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i
  return t
})()

/**
 * The bytes `text` encodes; throws a `RangeError` naming the position of a character outside
 * the alphabet. Four characters carry three bytes: `b0 b1 b2 = (c0 << 18 | c1 << 12 | c2 << 6 | c3)`.
 */
export const decodeBase64 = (text: string): Uint8Array => {
  const body = text.replace(/=+$/, '')
  const out = new Uint8Array(Math.floor((body.length * 3) / 4))
  let bits = 0 // pending bits, most significant first
  let count = 0 // how many bits are pending
  let o = 0
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i)
    const v = code < 128 ? VALUE[code]! : -1
    if (v < 0) throw new RangeError(`decodeBase64: character ${JSON.stringify(body[i])} at ${i} is not base64`)
    bits = ((bits << 6) | v) & 0xffffff
    count += 6
    if (count >= 8) {
      count -= 8
      out[o++] = (bits >> count) & 0xff
    }
  }
  return out
}
