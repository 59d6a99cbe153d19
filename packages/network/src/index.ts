export type { Activation, ElementwiseActivation, ColumnActivation, Layer, Network, LayerGradients, Gradients } from './types.js'
