/**
 * The embedded WebAssembly module, compiled once when the package loads: a function making
 * instances of it (each with a memory of its own), or `undefined` where WebAssembly with SIMD
 * is unavailable. The product kernel (`Kernel.ts`) and the arenas (`Arena.ts`) share it.
 */
import { loadKernel, type Instantiate } from './load.js'

export const instantiate: Instantiate | undefined = loadKernel()
