/**
 * The ONNX message types, from the committed schema (`onnxSchema.ts`, generated from
 * ONNX 1.12's onnx.proto) through protobufjs's reflection: protobufjs writes and reads the
 * wire format, none of it is written by hand here.
 *
 * The types are built per call (a few hundred microseconds) rather than kept in a module-level
 * value: protobufjs compiles and caches its codecs inside the type objects it hands out, and
 * no module of purenn keeps state of its own.
 *
 * @internal
 */
import protobuf from 'protobufjs/light.js'
import { onnxSchema } from './onnxSchema.js'

/** The ONNX `TensorProto.DataType` codes this package writes and reads. */
export const FLOAT = 1
export const DOUBLE = 11

/** `AttributeProto.AttributeType` codes. */
export const ATTR_FLOAT = 1
export const ATTR_INT = 2

/** The `onnx.ModelProto` message type, freshly built from the schema. */
export const modelProtoType = (): protobuf.Type => protobuf.Root.fromJSON(onnxSchema as protobuf.INamespace).lookupType('onnx.ModelProto')
