/**
 * The network drawn as layers of nodes, each weight a line: blue when positive, orange when
 * negative, wider and more opaque the larger it is.
 */
import type { Network } from '@purenn/network'
import { CLASS0, CLASS1 } from './colors.js'

export const drawNetwork = (canvas: HTMLCanvasElement, net: Network): void => {
  const ctx = canvas.getContext('2d')!
  const { width, height } = canvas
  ctx.clearRect(0, 0, width, height)
  const sizes = [net.inputSize, ...net.layers.map((l) => l.weights.rows)]
  const x = (layer: number): number => 20 + ((width - 40) * layer) / Math.max(1, sizes.length - 1)
  const y = (layer: number, node: number): number => {
    const n = sizes[layer]!
    const gap = Math.min(28, (height - 20) / n)
    return height / 2 + (node - (n - 1) / 2) * gap
  }
  const largest = Math.max(1e-9, ...net.layers.flatMap((l) => Array.from(l.weights.data, Math.abs)))
  net.layers.forEach((layer, k) => {
    const { rows, cols, data } = layer.weights
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const w = data[i * cols + j]!
        const size = Math.abs(w) / largest
        const [r, g, b] = w >= 0 ? CLASS1 : CLASS0
        ctx.strokeStyle = `rgba(${r},${g},${b},${0.15 + 0.85 * size})`
        ctx.lineWidth = 0.5 + 4 * size
        ctx.beginPath()
        ctx.moveTo(x(k), y(k, j))
        ctx.lineTo(x(k + 1), y(k + 1, i))
        ctx.stroke()
      }
  })
  sizes.forEach((n, layer) => {
    for (let node = 0; node < n; node++) {
      ctx.beginPath()
      ctx.arc(x(layer), y(layer, node), 6, 0, 2 * Math.PI)
      ctx.fillStyle = '#fff'
      ctx.fill()
      ctx.strokeStyle = '#555'
      ctx.lineWidth = 1
      ctx.stroke()
    }
  })
}
