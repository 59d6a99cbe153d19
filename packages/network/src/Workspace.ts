/**
 * The memory of the fast paths, in a value its holder keeps: the scratch buffer a call works
 * in, and the kernels written out for the shapes it has met (`internal/generated.ts`). A
 * function from `compileGradients`, and a `Backprop`, keep their own; a call given none works
 * in memory of its own and drops it. No module keeps any: what a call leaves in a workspace is
 * never read as a result, so holding one changes no bit, only what is allocated and compiled
 * again.
 *
 * @since 0.2.0
 */
import { compile, MAX_GENERATED_PARAMETERS, type Kernels, type Shape } from './internal/generated.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Scratch memory and compiled kernels for the fast paths (see the module comment). Opaque:
 * make one with `workspace()` and hand it to the functions that take one.
 *
 * @example
 * import { workspace, type Workspace } from '@purenn/network'
 * const ws: Workspace = workspace()
 * ws._tag // => 'Workspace'
 * workspace({ generate: false }).generate // => false
 *
 * @category model
 * @since 0.2.0
 */
export interface Workspace {
  readonly _tag: 'Workspace'
  /** Whether kernels may be written out for a shape (off: the fused loops run instead). */
  readonly generate: boolean
  /** @internal the scratch buffer; grown on demand. */
  scratch: Float64Array
  /** @internal true while a call works in `scratch`: a nested call takes memory of its own. */
  inUse: boolean
  /** @internal the kernels compiled so far, by shape (undefined where code cannot be generated), the least recently used first. */
  readonly kernels: Map<string, Kernels | undefined>
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A fresh workspace. `generate: false` keeps it from writing kernels out for tiny shapes (where
 * code cannot be generated, as under a strict Content-Security-Policy, none are either); the
 * fused loops then run, with the same bits.
 *
 * @example
 * import { network, addLayer, randomize, workspace, compileGradients, gradients, mse, sigmoid } from '@purenn/network'
 * import { fromArray, rng } from '@purenn/matrix'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const ws = workspace({ generate: false }) // no kernel written out with new Function
 * const gradientsOf = compileGradients(mse, ws) // keeps ws from one call to the next
 * const [net] = pipe(network(2), addLayer({ nodes: 1, activation: sigmoid }), randomize())(rng(0))
 * const x = fromArray([0, 1])
 * const t = fromArray([1])
 * gradientsOf(net, x, t).loss // => gradients(mse, x, t)(net).loss
 *
 * @category constructors
 * @since 0.2.0
 */
export const workspace = (options: { readonly generate?: boolean } = {}): Workspace => ({
  _tag: 'Workspace',
  generate: options.generate !== false,
  scratch: new Float64Array(0),
  inUse: false,
  kernels: new Map()
})

// -------------------------------------------------------------------------------------
// the fast paths' side
// -------------------------------------------------------------------------------------

/**
 * Scratch of at least `need` entries for one call: the workspace's own when it has one not in
 * use (grown if too small), else a fresh buffer. Give it back with `release`.
 *
 * @internal
 */
export const acquire = (ws: Workspace | undefined, need: number): Float64Array => {
  if (ws === undefined || ws.inUse) return new Float64Array(need)
  if (ws.scratch.length < need) ws.scratch = new Float64Array(2 * need)
  ws.inUse = true
  return ws.scratch
}

/**
 * Ends a call's use of scratch from `acquire`.
 *
 * @internal
 */
export const release = (ws: Workspace | undefined, s: Float64Array): void => {
  if (ws !== undefined && s === ws.scratch) ws.inUse = false
}

/** How many shapes a workspace keeps kernels for: a run trains few; past that, the least recently used is dropped. */
const MAX_SHAPES = 64

/**
 * The kernels of a shape of at most `MAX_GENERATED_PARAMETERS` parameters, compiled on first
 * use and kept in the workspace; undefined for a larger shape, without a workspace that may
 * generate them, or where code cannot be generated.
 *
 * @internal
 */
export const kernelsFor = (ws: Workspace | undefined, shape: Shape, parameters: number): Kernels | undefined => {
  if (ws === undefined || !ws.generate || parameters > MAX_GENERATED_PARAMETERS) return undefined
  const compiled = ws.kernels
  const key = `${shape.term}:${shape.dims.join(',')}:${shape.codes.join(',')}` // the shape, which the source is a function of
  if (compiled.has(key)) {
    const kept = compiled.get(key)
    compiled.delete(key) // now the most recently used
    compiled.set(key, kept)
    return kept
  }
  if (compiled.size >= MAX_SHAPES) compiled.delete(compiled.keys().next().value!)
  const kernels = compile(shape)
  compiled.set(key, kernels)
  return kernels
}
