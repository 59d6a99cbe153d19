/**
 * @purenn/interop: purenn networks in and out of other libraries' model files. ONNX
 * (`toOnnx`, `fromOnnx`) for ONNX Runtime and everything else that reads ONNX, TensorFlow.js
 * layers models (`toTfjs`, `fromTfjs`) for TensorFlow.js and Keras, and brain.js model files
 * (`fromBrainJson`). Every reader decodes its input at the boundary and answers an `Either`;
 * every writer answers a `Left` saying why when a network cannot be expressed. Nothing throws.
 *
 * File IO (`saveOnnx`, `saveTfjs`, `loadTfjs`) lives in `@purenn/interop/node`.
 *
 * @since 0.1.0
 * @module @purenn/interop
 */
export { type InteropError, unsupported, invalid } from './InteropError.js'
export { type OnnxOptions, toOnnx, fromOnnx } from './onnx.js'
export { type ModelArtifacts, type WeightsManifestEntry, toTfjs, fromTfjs } from './tfjs.js'
export { type BrainImport, readBrainJson, fromBrainJson } from './brain.js'
