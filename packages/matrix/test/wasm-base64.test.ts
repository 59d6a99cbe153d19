// The base64 decoder that unpacks the embedded WebAssembly binary.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeBase64 } from '../src/internal/wasm/base64.js'
import { GEMM_WASM_BASE64 } from '../src/internal/wasm/binary.js'

describe('decodeBase64', () => {
  it("inverts Node's encoder on any bytes, with or without padding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64')
        expect(decodeBase64(text)).toEqual(bytes)
        expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(bytes)
      }),
      { numRuns: 300 }
    )
  })

  it('decodes the RFC 4648 test vectors', () => {
    const text = (s: string): string => new TextDecoder().decode(decodeBase64(s))
    expect(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'].map(text)).toEqual(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'])
  })

  it('names a character outside the alphabet and where it is', () => {
    expect(() => decodeBase64('Zm9v-mFy')).toThrow(RangeError)
    expect(() => decodeBase64('Zm9v-mFy')).toThrow('decodeBase64: character "-" at 4 is not base64')
    expect(() => decodeBase64('Zm9\u00e9')).toThrow('at 3')
  })

  it('unpacks the embedded kernel into a WebAssembly module (magic number, version 1)', () => {
    const bytes = decodeBase64(GEMM_WASM_BASE64)
    expect(Array.from(bytes.slice(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    expect(bytes).toEqual(new Uint8Array(Buffer.from(GEMM_WASM_BASE64, 'base64')))
    expect(bytes.length).toBeLessThan(4096) // small enough for synchronous compilation anywhere
  })
})
